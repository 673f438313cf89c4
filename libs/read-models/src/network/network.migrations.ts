import { Migration } from '@relais/database';

export const networkMigrations: readonly Migration[] = [
  {
    id: '0200_network_read_model',
    sql: `
create table organisations (
  id text primary key,
  name text not null,
  kind text not null,
  territory jsonb not null,
  contact_email text not null,
  closure_days date[] not null default '{}'
);
create table staff (
  id text primary key,
  organisation_id text not null,
  name text not null,
  email text not null unique,
  roles text[] not null
);
create index staff_organisation on staff (organisation_id);
`,
  },
  {
    id: '0201_staff_active',
    sql: `alter table staff add column active boolean not null default true;`,
  },
  {
    // A professional phone (`+32…`), shown with the worker's contact on notifications.
    id: '0202_staff_phone',
    sql: `alter table staff add column phone text;`,
  },
];
