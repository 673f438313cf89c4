import { Migration } from '@relais/database';

export const coordinationMigrations: readonly Migration[] = [
  {
    id: '0900_coordination_read_model',
    sql: `
create table coordination_members (
  id text primary key,
  name text not null,
  sector text not null,
  fields text[] not null,
  address jsonb not null,
  contact jsonb not null,
  services_offered text[] not null,
  charter_signed_on date,
  organisation_id text
);
create index coordination_members_organisation on coordination_members (organisation_id);
create table coordination_bodies (
  id text primary key,
  kind text not null,
  name text not null,
  theme text not null
);
create table coordination_body_members (
  body_id text not null,
  key text not null,
  member jsonb not null,
  staff_id text,
  member_id text,
  position bigint not null,
  primary key (body_id, key)
);
create index coordination_body_members_staff on coordination_body_members (staff_id);
create index coordination_body_members_member on coordination_body_members (member_id);
create table coordination_meetings (
  id text primary key,
  body_id text not null,
  date date not null,
  place text not null,
  agenda jsonb not null,
  attendance jsonb not null default '[]',
  minutes_status text not null default 'none',
  minutes_text text,
  approved_at_meeting_id text,
  approved_on date,
  distributed_on date
);
create index coordination_meetings_body on coordination_meetings (body_id, date);
create table coordination_officials (
  id text primary key,
  name text not null,
  role text not null,
  email text not null,
  staff_id text,
  position bigint not null
);
create table coordination_minutes_deliveries (
  delivery_id text primary key,
  meeting_id text not null,
  channel text not null,
  recipient text not null,
  status text not null,
  attempts integer not null default 0,
  at timestamptz
);
create index coordination_minutes_deliveries_meeting on coordination_minutes_deliveries (meeting_id);
create index coordination_minutes_inbox on coordination_minutes_deliveries (recipient) where channel = 'inbox';
`,
  },
  {
    id: '0901_coordination_meeting_protocols',
    sql: `
create table coordination_meeting_protocols (
  meeting_id text not null,
  protocol_id text not null,
  primary key (protocol_id, meeting_id)
);`,
  },
];
