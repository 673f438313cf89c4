import { randomBytes } from 'node:crypto';

/** Fresh keys for an app on a server database: the vault's master key, its keyring, the token secret. */
export function freshSecrets(keyring: string): {
  readonly RELAIS_VAULT_KEY: string;
  readonly RELAIS_VAULT_KEYRING: string;
  readonly RELAIS_TOKEN_SECRET: string;
} {
  return {
    RELAIS_VAULT_KEY: randomBytes(32).toString('base64'),
    RELAIS_VAULT_KEYRING: keyring,
    RELAIS_TOKEN_SECRET: randomBytes(32).toString('hex'),
  };
}
