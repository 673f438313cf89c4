import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { EVENT_STORE, EventStore } from '@relais/event-store';
import { PeriodicJob } from '@relais/platform';
import { SubjectVault, UnconfirmedSubject, UnconfirmedSubjects } from '@relais/vault';

/** Looked at least once a minute, and as often as the grace period when it is shorter. */
const MAX_INTERVAL_MS = 60_000;

/**
 * Erases personal data no case refers to: subjects written to the vault by an opening that died
 * before its event was stored. A subject is kept when the first event of the stream it was noted
 * for lists it; otherwise, once older than `RELAIS_VAULT_ORPHAN_GRACE_SECONDS` (far longer than
 * any request lives), it is erased. Several workers may sweep at once: erasing is idempotent.
 */
@Injectable()
export class VaultOrphanSweeper
  extends PeriodicJob
  implements OnApplicationBootstrap, OnModuleDestroy
{
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: SubjectVault,
    private readonly unconfirmed: UnconfirmedSubjects,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
  ) {
    super(new Logger('Vault'), 'orphan sweep');
  }

  protected get intervalMs(): number {
    return Math.min(MAX_INTERVAL_MS, this.config.vaultOrphanGraceSeconds * 1000);
  }

  protected round(): Promise<number> {
    return this.sweepOnce();
  }

  /** One round: each subject past its grace confirmed or erased; how many were erased. */
  async sweepOnce(): Promise<number> {
    const due = await this.unconfirmed.olderThan(this.config.vaultOrphanGraceSeconds);
    const kept: string[] = [];
    const orphans: string[] = [];
    for (const subject of due) {
      ((await this.referredTo(subject)) ? kept : orphans).push(subject.subjectId);
    }
    await this.vault.eraseAll(orphans);
    await this.unconfirmed.confirm([...kept, ...orphans]);
    if (orphans.length > 0) {
      this.logger.warn(
        `erased ${orphans.length} subject(s) whose case was never stored (an opening interrupted)`,
      );
    }
    return orphans.length;
  }

  private async referredTo({ subjectId, ownerStream }: UnconfirmedSubject): Promise<boolean> {
    const [first] = await this.store.readStream(ownerStream, { maxCount: 1 });
    const subjects: unknown = (first?.data as { subjects?: unknown } | undefined)?.subjects;
    return (
      Array.isArray(subjects) &&
      subjects.some((s: { subjectId?: unknown }) => s.subjectId === subjectId)
    );
  }
}
