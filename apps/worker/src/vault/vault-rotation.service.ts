import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { PeriodicJob } from '@relais/platform';
import { Rotation, SubjectVault } from '@relais/vault';

const POLL_MS = 30_000;

/**
 * Rotates the vault's key epoch on schedule (RELAIS_VAULT_ROTATION_HOURS) and after any erasure
 * whose own rotation failed, and destroys epoch files a stopped rotation left behind. Several
 * workers may run it: a rotation checks again under the epoch's row lock that it is still due.
 */
@Injectable()
export class VaultRotation extends PeriodicJob implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly intervalMs = POLL_MS;

  constructor(
    private readonly vault: SubjectVault,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
  ) {
    super(new Logger('Vault'), 'key epoch rotation');
  }

  protected round(): Promise<Rotation | undefined> {
    return this.rotateIfDue();
  }

  async rotateIfDue(): Promise<Rotation | undefined> {
    const rotation = await this.vault.rotateIfDue(this.config.vaultRotationHours * 3_600_000);
    if (rotation !== undefined) {
      this.logger.log(
        `key epoch ${rotation.from} -> ${rotation.to}: ${rotation.rewrapped} subject keys re-wrapped in ${rotation.durationMs} ms`,
      );
      if (rotation.unreadable > 0) {
        this.logger.warn(
          `${rotation.unreadable} subject keys open with no key of the vault and were left unreadable`,
        );
      }
    }
    return rotation;
  }
}
