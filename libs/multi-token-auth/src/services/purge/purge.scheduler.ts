import { createRequire } from 'node:module';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { optionalPeer } from '../../pure/peers/optional-peer';
import { fail } from '../../pure/options/option.checks';
import { TokenService } from '../tokens/token.service';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** The name of the scheduled purge in @nestjs/schedule's `SchedulerRegistry`. */
export const PURGE_JOB = 'multi-token-auth:purge-expired';

/** The parts of `cron`'s `CronJob` used here. */
interface CronJobLike {
  start(): void;
  stop(): unknown;
}

interface ScheduleParts {
  registry: { addCronJob(name: string, job: never): void; doesExist(type: 'cron', name: string): boolean };
  CronJob: { from(params: { cronTime: string; onTick: () => void; start: boolean }): CronJobLike };
}

/**
 * The opt-in scheduled purge (`purge: { cron: '0 * * * *' }`): a cron job in the app's
 * @nestjs/schedule registry (named `multi-token-auth:purge-expired`, so the app can see, stop or
 * replace it) that runs `TokenService.purgeExpired()`. @nestjs/schedule stays optional: it is loaded
 * only when `purge.cron` is set, and start-up fails with the fix when it, or `ScheduleModule`, is
 * missing. A run never overlaps the previous one; a failed run is logged and the next one tries again.
 */
@Injectable()
export class PurgeScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MultiTokenAuth');
  private job?: CronJobLike;
  private running?: Promise<void>;
  private readonly stopping = new AbortController();

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly tokens: TokenService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    const cron = this.options.purge.cron;
    if (cron === null) return;
    const { registry, CronJob } = this.schedule();
    if (registry.doesExist('cron', PURGE_JOB)) {
      fail(
        `purge.cron: a cron job named "${PURGE_JOB}" already exists; set purge.cron on one MultiTokenAuthModule of the app only.`,
      );
    }
    try {
      this.job = CronJob.from({ cronTime: cron, onTick: () => void this.run(), start: false });
    } catch (error) {
      fail(`purge.cron "${cron}" is not a cron expression (${String(error)}).`);
    }
    registry.addCronJob(PURGE_JOB, this.job as never);
    this.job.start();
  }

  /** Stops the job, and a purge under way after its current batch, before the data source closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.job?.stop();
    this.stopping.abort();
    await this.running;
  }

  /** One purge, unless one is still running (then that one). */
  run(): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    this.running ??= this.tokens
      .purgeExpired({ signal: this.stopping.signal })
      .then((count) => {
        if (count > 0) this.logger.log(`purged ${count} expired token(s)`);
      })
      .catch((error: unknown) => this.logger.error(`the scheduled purge failed: ${String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private schedule(): ScheduleParts {
    const schedule = optionalPeer<{ SchedulerRegistry: abstract new (...args: never[]) => ScheduleParts['registry'] }>(
      '@nestjs/schedule',
      'purge.cron cannot run',
    );
    if (!schedule) {
      return fail('purge.cron needs @nestjs/schedule: npm i @nestjs/schedule, and import ScheduleModule.forRoot().');
    }
    // `cron` is @nestjs/schedule's own dependency: resolved from there, whatever the app's layout.
    const fromSchedule = createRequire(require.resolve('@nestjs/schedule'));
    let registry: ScheduleParts['registry'];
    try {
      registry = this.moduleRef.get(schedule.SchedulerRegistry, { strict: false });
    } catch {
      return fail('purge.cron needs ScheduleModule.forRoot() in your app module imports.');
    }
    const { CronJob } = fromSchedule('cron') as { CronJob: ScheduleParts['CronJob'] };
    return { registry, CronJob };
  }
}
