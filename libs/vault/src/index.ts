export * from './key-epochs';
export * from './master-key';
export * from './personal-data';
export * from './subject-vault';
export * from './vault-keyring';
export * from './vault.migrations';
export * from './aes-gcm';
export * from './unconfirmed-subjects';
