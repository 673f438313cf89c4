import { join } from 'node:path';
import { RelaisConfig } from '@relais/config';
import { loadOrCreateMasterKey, masterKeyFrom } from '@relais/vault';

export interface RelaisSecrets {
  /** Wraps every personal-data key in the vault. */
  readonly vaultKey: Buffer;
  /** Signs local bearer tokens; absent when an OpenID Connect provider issues them. */
  readonly tokenSecret: Uint8Array | undefined;
}

/** From the environment, or for one machine from key files made in the data folder on first start. */
export async function loadSecrets(config: RelaisConfig): Promise<RelaisSecrets> {
  const vaultKey = config.vaultKey
    ? masterKeyFrom(config.vaultKey)
    : await loadOrCreateMasterKey(join(config.dataDir, 'vault.key'));
  let tokenSecret: Uint8Array | undefined;
  if (config.oidc === undefined) {
    tokenSecret = config.tokenSecret
      ? new TextEncoder().encode(config.tokenSecret)
      : await loadOrCreateMasterKey(join(config.dataDir, 'token.key'));
  }
  return { vaultKey, tokenSecret };
}
