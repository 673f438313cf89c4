import { Migration } from '@relais/database';

/**
 * `subject_keys.wrapped_key` is the subject's data key sealed (iv, tag, ciphertext) by the key of
 * its `epoch`, a file of the keyring; a null epoch is a key from before epochs, sealed by the
 * master key. Deleting the key row cascades to the data: an erased subject leaves no row.
 * `vault_epoch` is one row: the current epoch (0: none yet), the next one while a rotation runs,
 * and the vault's id, which names its folder in the keyring. Each erasure owes a rotation until
 * one has run.
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
    id: '0101_vault_key_epochs',
    sql: `
alter table subject_keys add column epoch integer;

create table vault_epoch (
  only_row boolean primary key default true check (only_row),
  vault_id uuid not null default gen_random_uuid(),
  epoch integer not null default 0,
  next_epoch integer,
  rotated_at timestamptz not null default now()
);
insert into vault_epoch default values;

create table vault_rotations_owed (
  id bigint generated always as identity primary key,
  owed_at timestamptz not null default now()
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
  {
    // The blind index: HMAC digests of each person's NISS and name (see SubjectLookup), never the
    // NISS or the name; gone with the subject's key.
    id: '0120_vault_subject_lookup',
    sql: `
create table subject_lookup (
  subject_id uuid not null references subject_keys (subject_id) on delete cascade,
  kind text not null check (kind in ('niss', 'name')),
  digest bytea not null,
  primary key (kind, digest, subject_id)
);
create index subject_lookup_subject on subject_lookup (subject_id);
`,
  },
  {
    // One digest per word of a name: a partner searches its own cases by any name.
    id: '0121_vault_subject_lookup_words',
    sql: `
alter table subject_lookup drop constraint subject_lookup_kind_check;
alter table subject_lookup add constraint subject_lookup_kind_check check (kind in ('niss', 'name', 'token'));
`,
  },
];
