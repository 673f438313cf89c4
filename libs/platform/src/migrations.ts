import { Migration } from '@relais/database';
import { eventStoreMigrations } from '@relais/event-store';

/** Every schema change Relais owns, in one list: applied at start-up. */
export const relaisMigrations: readonly Migration[] = [...eventStoreMigrations];
