import { Logger } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { setup, type Fixture } from '../../testing/setup.fixture';
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

  it('a shutdown during a purge waits for its current batch and stops there', async () => {
    const clock = new ManualClock();
    fixture = await setup(
      { clock, purge: { cron: '0 * * * *', batchSize: 1 } },
      { imports: [ScheduleModule.forRoot()] },
    );
    const tokens = fixture.module.get(TokenService);
    const user = await fixture.createUser();
    for (let i = 0; i < 40; i++) await tokens.issue(user, { client: 'api', ttl: 60 });
    clock.advance(61_000);
    const rows = fixture.tokens;
    const failed = jest.spyOn(Logger.prototype, 'error');
    const running = fixture.module.get(PurgeScheduler).run();
    const closing = fixture.close();
    fixture = undefined;
    await closing; // the data source closes after the purge stopped: no "connection is not open"
    await running;
    expect(rows.manager.connection.isInitialized).toBe(false);
    expect(failed).not.toHaveBeenCalled();
    failed.mockRestore();
  });

  it('fails at start-up when another job already has its name', async () => {
    const taken = {
      provide: 'TakenName',
      inject: [SchedulerRegistry],
      useFactory: (registry: SchedulerRegistry) =>
        registry.addCronJob(PURGE_JOB, CronJob.from({ cronTime: '0 0 * * *', onTick: () => undefined })),
    };
    await expect(
      setup({ purge: { cron: '0 * * * *' } }, { imports: [ScheduleModule.forRoot()], providers: [taken] }),
    ).rejects.toThrow(/a cron job named "multi-token-auth:purge-expired" already exists/);
  });

  it('fails at start-up, naming the fix, without ScheduleModule or with a bad expression', async () => {
    await expect(setup({ purge: { cron: '0 * * * *' } })).rejects.toThrow(/ScheduleModule\.forRoot\(\)/);
    await expect(setup({ purge: { cron: 'every hour' } }, { imports: [ScheduleModule.forRoot()] })).rejects.toThrow(
      /purge\.cron "every hour" is not a cron expression/,
    );
  });
});
