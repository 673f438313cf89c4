import { Migration } from '@relais/database';

/**
 * `subject_keys.wrapped_key` is the subject's data key sealed by the master key (iv, tag,
 * ciphertext). Deleting the key row cascades to the data: an erased subject leaves no row.
 */
export const vaultMigrations: readonly Migration[] = [
  {
    id: '0100_subject_vault',
    sql: `
create table subject_keys (
  subject_id uuid primary key,
  wrapped_key bytea not null,
  created_at timestamptz not null default now()
);

create table subject_data (
  subject_id uuid primary key references subject_keys (subject_id) on delete cascade,
  version integer not null,
  iv bytea not null,
  ciphertext bytea not null,
  auth_tag bytea not null,
  updated_at timestamptz not null default now()
);
`,
  },
  {
    // Written before the vault, confirmed (deleted) once the case that refers to them is stored.
    id: '0110_vault_unconfirmed_subjects',
    sql: `
create table vault_unconfirmed_subjects (
  subject_id uuid primary key,
  owner_stream text not null,
  noted_at timestamptz not null default now()
);
create index vault_unconfirmed_subjects_noted on vault_unconfirmed_subjects (noted_at);
`,
  },
];
