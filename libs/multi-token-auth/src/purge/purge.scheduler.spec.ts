import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { ManualClock } from '../clock/manual.clock';
import { setup, type Fixture } from '../testing/setup.fixture';
import { TokenService } from '../tokens/token.service';
import { PURGE_JOB, PurgeScheduler } from './purge.scheduler';

describe('the scheduled purge (purge.cron, through @nestjs/schedule)', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('registers a cron job under its name that purges expired tokens when it fires', async () => {
    const clock = new ManualClock();
    fixture = await setup({ clock, purge: { cron: '0 * * * *' } }, { imports: [ScheduleModule.forRoot()] });
    const tokens = fixture.module.get(TokenService);
    const user = await fixture.createUser();
    await tokens.issue(user, { client: 'web', ttl: 60 });
    const kept = await tokens.issue(user, { client: 'web', ttl: 7200 });
    clock.advance(61_000);
    const job = fixture.module.get(SchedulerRegistry).getCronJob(PURGE_JOB);
    expect(job.cronTime.source).toBe('0 * * * *');
    expect(job.isActive).toBe(true);
    await job.fireOnTick();
    await fixture.module.get(PurgeScheduler).run();
    expect((await fixture.tokens.find()).map((row) => row.id)).toEqual([kept.record.id]);
  });

  it('never overlaps: a run asked for while one runs is that run', async () => {
    fixture = await setup({ purge: { cron: '0 * * * *' } }, { imports: [ScheduleModule.forRoot()] });
    const scheduler = fixture.module.get(PurgeScheduler);
    const first = scheduler.run();
    expect(scheduler.run()).toBe(first);
    await first;
    expect(scheduler.run()).not.toBe(first);
  });

  it('is off by default: no job, and no need for @nestjs/schedule', async () => {
    fixture = await setup({}, { imports: [ScheduleModule.forRoot()] });
    expect(fixture.module.get(SchedulerRegistry).doesExist('cron', PURGE_JOB)).toBe(false);
  });

  it('fails at start-up, naming the fix, without ScheduleModule or with a bad expression', async () => {
    await expect(setup({ purge: { cron: '0 * * * *' } })).rejects.toThrow(/ScheduleModule\.forRoot\(\)/);
    await expect(setup({ purge: { cron: 'every hour' } }, { imports: [ScheduleModule.forRoot()] })).rejects.toThrow(
      /purge\.cron "every hour" is not a cron expression/,
    );
  });
});
