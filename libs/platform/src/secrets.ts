import { join } from 'node:path';
import { RelaisConfig } from '@relais/config';
import {
  loadOrCreateMasterKey,
  masterKeyFrom,
  moveMasterKey,
  readMasterKeyFile,
} from '@relais/vault';

export interface RelaisSecrets {
  /** Seals the vault's key epochs and the webhook secrets. */
  readonly vaultKey: Buffer;
  /** Signs local bearer tokens; absent when an OpenID Connect provider issues them. */
  readonly tokenSecret: Uint8Array | undefined;
}

/**
 * From the environment or a key file named there; for one machine, the vault's key is made in the
 * keyring's folder on first start (moved there from the data folder, where earlier versions kept
 * it) and the token key in the data folder.
 */
export async function loadSecrets(config: RelaisConfig): Promise<RelaisSecrets> {
  let vaultKey: Buffer;
  if (config.vaultKey !== undefined) vaultKey = masterKeyFrom(config.vaultKey);
  else if (config.vaultKeyFile !== undefined)
    vaultKey = await readMasterKeyFile(config.vaultKeyFile);
  else {
    const file = join(config.vaultKeyring, 'vault.key');
    await moveMasterKey(join(config.dataDir, 'vault.key'), file);
    vaultKey = await loadOrCreateMasterKey(file);
  }
  let tokenSecret: Uint8Array | undefined;
  if (config.oidc === undefined) {
    tokenSecret = config.tokenSecret
      ? new TextEncoder().encode(config.tokenSecret)
      : await loadOrCreateMasterKey(join(config.dataDir, 'token.key'));
  }
  return { vaultKey, tokenSecret };
}
