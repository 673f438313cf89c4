import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SubjectVault } from '@relais/vault';

/**
 * At start-up, indexes the people registered before the vault had its blind index, so that the
 * DPO finds them too; every api process may do it at once, a digest already there is kept.
 */
@Injectable()
export class SubjectLookupBackfill implements OnApplicationBootstrap {
  private readonly logger = new Logger('SubjectLookup');

  constructor(private readonly vault: SubjectVault) {}

  /** A person the vault cannot open is no reason not to start: the DPO then does not find them. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const indexed = await this.vault.indexUnindexed();
      if (indexed > 0) this.logger.log(`indexed ${indexed} subject(s) registered before the index`);
    } catch (error) {
      this.logger.warn(
        `people registered before the index are not all indexed: ${(error as Error).message}`,
      );
    }
  }
}
