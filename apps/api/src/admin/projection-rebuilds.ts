import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { complianceRebuild } from '@relais/compliance';
import { Database } from '@relais/database';
import {
  EVENT_STORE,
  TransactionalEventStore,
  RebuildInProgressError,
  rebuildProjection,
  RebuildProgress,
  RebuildTarget,
} from '@relais/event-store';
import { CompetenceDirectory } from '@relais/network';

export interface RebuildStatus {
  readonly projection: string;
  readonly tables: readonly string[];
  readonly running: boolean;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly progress: RebuildProgress | null;
  readonly error: string | null;
}

/** The read models that can be rebuilt, and the rebuilds this process runs. */
@Injectable()
export class ProjectionRebuilds {
  private readonly logger = new Logger('Rebuilds');
  private readonly targets: ReadonlyMap<string, RebuildTarget>;
  private readonly statuses = new Map<string, RebuildStatus>();

  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: TransactionalEventStore,
    directory: CompetenceDirectory,
  ) {
    this.targets = new Map([complianceRebuild(directory)].map((t) => [t.name, t]));
  }

  list(): RebuildStatus[] {
    return [...this.targets.values()].map((target) => this.statusOf(target));
  }

  /**
   * Runs a rebuild to its end, reporting progress; refused when one of the same read model runs
   * anywhere (another process included).
   */
  async run(
    name: string,
    options: { onProgress?: (progress: RebuildProgress) => void; onStart?: () => void } = {},
  ): Promise<RebuildProgress> {
    const target = this.target(name);
    if (this.statusOf(target).running) throw this.conflict(name);
    const update = (change: Partial<RebuildStatus>) =>
      this.statuses.set(name, { ...this.statusOf(target), ...change });
    update({ running: true, startedAt: new Date(), finishedAt: null, progress: null, error: null });
    try {
      const done = await rebuildProjection(this.database.pool, this.store, target, {
        onStart: options.onStart,
        onProgress: (progress) => {
          update({ progress });
          options.onProgress?.(progress);
        },
      });
      update({ running: false, finishedAt: new Date(), progress: done });
      this.logger.log(
        `${name} rebuilt: ${done.processed} events in ${done.elapsedSeconds.toFixed(1)} s`,
      );
      return done;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      update({ running: false, finishedAt: new Date(), error: message });
      throw error instanceof RebuildInProgressError ? this.conflict(name) : error;
    }
  }

  /** Starts a rebuild in the background; answers once it holds its lock, or refuses at once. */
  start(name: string): Promise<RebuildStatus> {
    const target = this.target(name);
    return new Promise((resolve, reject) => {
      let started = false;
      this.run(name, {
        onStart: () => {
          started = true;
          resolve(this.statusOf(target));
        },
      }).catch((error: Error) => {
        if (!started) reject(error);
        else this.logger.error(`${name} rebuild failed: ${error.message}`);
      });
    });
  }

  private target(name: string): RebuildTarget {
    const target = this.targets.get(name);
    if (!target) {
      throw new NotFoundException({
        message: `No read model ${name} to rebuild; there are: ${[...this.targets.keys()].join(', ')}`,
        code: 'PROJECTION_NOT_FOUND',
      });
    }
    return target;
  }

  private conflict(name: string): ConflictException {
    return new ConflictException({
      message: `A rebuild of ${name} is already running`,
      code: 'REBUILD_IN_PROGRESS',
    });
  }

  private statusOf(target: RebuildTarget): RebuildStatus {
    return (
      this.statuses.get(target.name) ?? {
        projection: target.name,
        tables: target.tables,
        running: false,
        startedAt: null,
        finishedAt: null,
        progress: null,
        error: null,
      }
    );
  }
}
