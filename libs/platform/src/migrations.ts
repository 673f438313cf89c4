import { accessLogMigrations } from '@relais/access-log';
import { loginRateLimitMigrations } from '@relais/auth';
import { complianceMigrations } from '@relais/compliance';
import { coordinationMigrations } from '@relais/coordination';
import { Migration } from '@relais/database';
import { outboxMigrations, webhookMigrations } from '@relais/delivery';
import { eventStoreMigrations } from '@relais/event-store';
import { inboxMigrations, protocolEngineMigrations } from '@relais/obligations';
import { privacyMigrations } from '@relais/privacy';
import {
  caseSummaryMigrations,
  referralMigrations,
  credentialMigrations,
  networkMigrations,
  protocolVersionMigrations,
} from '@relais/read-models';
import { vaultMigrations } from '@relais/vault';

/** Every schema change Relais owns, in one list: applied at start-up, in id order. */
export const relaisMigrations: readonly Migration[] = [
  ...eventStoreMigrations,
  ...vaultMigrations,
  ...networkMigrations,
  ...caseSummaryMigrations,
  ...referralMigrations,
  ...credentialMigrations,
  ...loginRateLimitMigrations,
  ...protocolEngineMigrations,
  ...inboxMigrations,
  ...outboxMigrations,
  ...webhookMigrations,
  ...protocolVersionMigrations,
  ...complianceMigrations,
  ...accessLogMigrations,
  ...privacyMigrations,
  ...coordinationMigrations,
];
