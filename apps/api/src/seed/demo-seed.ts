import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AccessEntry, AccessLog } from '@relais/access-log';
import { hashPassword } from '@relais/auth';
import { endOfDayInBrussels } from '@relais/calendar';
import { isDemo, RelaisConfig } from '@relais/config';
import {
  CaseCommand,
  caseStreamId,
  OrganisationKind,
  organisationStreamId,
  StaffRole,
} from '@relais/domain';
import { EVENT_STORE, EventStore } from '@relais/event-store';
import { communes, CompetenceDirectory, referenceOrganisations } from '@relais/network';
import { signatoriesOf } from '@relais/obligations';
import { loadProtocolFile } from '@relais/protocol';
import { brusselsDate, CLOCK, Clock, uuidFromName } from '@relais/platform';
import { Credentials } from '@relais/read-models';
import { Actor } from '../cases/actor-resolver';
import { LogCaseEvent } from '../cases/log-case-event.handler';
import { OpenCase } from '../cases/open-case.handler';
import { ChangeProtocol } from '../protocols/protocol-commands';
import { RegisterOrganisation, RegisterStaffMember } from '../network/network.commands';
import { seedCoordination } from './coordination-seed';

const COORDINATION = {
  id: 'coordination-dinant',
  name: "Coordination sociale de l'arrondissement de Dinant (Prospect 15)",
  kind: 'OTHER' as const,
  territory: { kind: 'arrondissements' as const, arrondissements: ['dinant'] },
  contactEmail: 'contact@relais.demo',
  closureDays: [],
};

const DINANT_CPAS = communes
  .filter((c) => c.arrondissement === 'dinant')
  .map((c) => `cpas-${c.slug}`);

interface DemoAccount {
  readonly email: string;
  readonly name: string;
  readonly organisationId: string;
  readonly roles: readonly StaffRole[];
  /** A professional phone, as notifications that share the worker's contact show it. */
  readonly phone?: string;
}

/** Fictitious numbers in the right zones (Ciney 083, Dinant 082), for the demo's contacts. */
const DEMO_PHONES: Readonly<Record<string, string>> = {
  'as@cpas-ciney.demo': '083 21 00 01',
  'as@cpas-rochefort.demo': '084 21 00 01',
  'delegue1@saj-dinant.demo': '082 21 00 01',
  'delegue2@saj-dinant.demo': '082 21 00 02',
};

export function demoAccounts(): DemoAccount[] {
  const cpas = referenceOrganisations.filter((o) => o.kind === 'CPAS');
  const accounts: DemoAccount[] = [
    ...cpas.flatMap((o) => [
      {
        email: `as@${o.id}.demo`,
        name: `Assistant·e social·e, ${o.name}`,
        organisationId: o.id,
        roles: ['social_worker'] as const,
      },
      {
        email: `chef@${o.id}.demo`,
        name: `Chef de service, ${o.name}`,
        organisationId: o.id,
        roles: ['manager'] as const,
      },
    ]),
    {
      email: 'delegue1@saj-dinant.demo',
      name: 'Délégué·e 1, SAJ de Dinant',
      organisationId: 'saj-dinant',
      roles: ['saj_delegate'],
    },
    {
      email: 'delegue2@saj-dinant.demo',
      name: 'Délégué·e 2, SAJ de Dinant',
      organisationId: 'saj-dinant',
      roles: ['saj_delegate'],
    },
    {
      email: 'chef@saj-dinant.demo',
      name: 'Chef de service, SAJ de Dinant',
      organisationId: 'saj-dinant',
      roles: ['manager'],
    },
    {
      email: 'delegue@spj-dinant.demo',
      name: 'Délégué·e, SPJ de Dinant',
      organisationId: 'spj-dinant',
      roles: ['saj_delegate'],
    },
    {
      email: 'coordination@relais.demo',
      name: 'Coordination du réseau',
      organisationId: COORDINATION.id,
      roles: ['coordinator'],
    },
    {
      email: 'admin@relais.demo',
      name: 'Administration Relais',
      organisationId: COORDINATION.id,
      roles: ['admin'],
    },
    {
      email: 'dpo@relais.demo',
      name: 'Délégué·e à la protection des données',
      organisationId: COORDINATION.id,
      roles: ['dpo'],
    },
  ];
  return accounts.map((a) => (DEMO_PHONES[a.email] ? { ...a, phone: DEMO_PHONES[a.email] } : a));
}

export const staffIdOf = (email: string) => uuidFromName(`demo-staff:${email}`);

/**
 * The Dinant network, its demo accounts and a few cases with history. Runs on an empty store only
 * (`RELAIS_SEED_DEMO=auto`: on the embedded database; `always`: on any), so a restart keeps data.
 */
export async function seedDemo(
  app: INestApplication,
  config: RelaisConfig,
  force = false,
): Promise<boolean> {
  const logger = new Logger('Demo');
  const wanted = force || isDemo(config);
  const store = app.get<EventStore>(EVENT_STORE);
  if (!wanted || (await store.streamVersion(organisationStreamId(COORDINATION.id))) > 0)
    return false;

  const commandBus = app.get(CommandBus);
  const credentials = app.get(Credentials);
  const clock = app.get<Clock>(CLOCK);
  for (const organisation of referenceOrganisations) {
    const { id, name, kind, territory, contactEmail } = organisation;
    await commandBus.execute(
      new RegisterOrganisation(
        { id, name, kind, territory, contactEmail, closureDays: [] },
        undefined,
      ),
    );
  }
  await commandBus.execute(new RegisterOrganisation(COORDINATION, undefined));

  const hash = await hashPassword(config.demoPassword);
  for (const account of demoAccounts()) {
    const { id } = await commandBus.execute<RegisterStaffMember, { id: string }>(
      new RegisterStaffMember({ ...account, id: staffIdOf(account.email) }, undefined),
    );
    await credentials.set(id, hash);
  }
  await adoptShippedProtocol(commandBus, app.get(CompetenceDirectory), brusselsDate(clock.now()));
  const ciney = await seedCases(commandBus, brusselsDate(clock.now()));
  await seedCoordination(commandBus, brusselsDate(clock.now()), {
    coordinator: {
      staffId: staffIdOf('coordination@relais.demo'),
      organisationId: COORDINATION.id,
    },
    delegate: staffIdOf('delegue1@saj-dinant.demo'),
  });
  await seedAccesses(app.get(AccessLog), store, ciney, brusselsDate(clock.now()));
  logger.log(
    `Demo network ready (${DINANT_CPAS.length} CPAS of the arrondissement of Dinant and their neighbours). ` +
      `Sign in with e.g. as@cpas-ciney.demo, delegue1@saj-dinant.demo, chef@saj-dinant.demo or ` +
      `coordination@relais.demo, password "${config.demoPassword === 'relais-demo' ? 'relais-demo' : '$RELAIS_DEMO_PASSWORD'}": ` +
      'POST /api/v1/auth/token {"email","password"}, API docs at /api/docs',
  );
  return true;
}

/** The folder of the shipped protocols, found from here in the sources and in the build alike. */
function shippedProtocol(file: string): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'protocols', file))) return join(dir, 'protocols', file);
  }
  throw new Error(`protocols/${file} not found above ${__dirname}`);
}

/** The Dinant protocol, drafted by the network's administrator and signed by each partner's manager. */
async function adoptShippedProtocol(
  commandBus: CommandBus,
  directory: CompetenceDirectory,
  today: string,
) {
  const definition = await loadProtocolFile(shippedProtocol('dinant-cpas-saj.yaml'));
  const signatories = signatoriesOf(definition, directory);
  const { id: protocolId, version, effectiveFrom } = definition;
  await commandBus.execute(
    new ChangeProtocol(
      protocolId,
      {
        type: 'DraftProtocolVersion',
        data: { protocolId, version, effectiveFrom, definition, signatories },
      },
      { staffId: staffIdOf('admin@relais.demo'), organisationId: COORDINATION.id },
    ),
  );
  for (const organisationId of signatories) {
    const signedBy = staffIdOf(`chef@${organisationId}.demo`);
    await commandBus.execute(
      new ChangeProtocol(
        protocolId,
        {
          type: 'SignProtocolVersion',
          data: { version, organisationId, signedBy, signedOn: today },
        },
        { staffId: signedBy, organisationId },
      ),
    );
  }
}

const actor = (
  email: string,
  organisationId: string,
  kind: OrganisationKind,
  roles: readonly StaffRole[],
): Actor => ({
  staffId: staffIdOf(email),
  organisationId,
  organisationKind: kind,
  roles,
  email,
});

function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** Three families, told as the partners would log them; no real person behind any name. Returns the Ciney case. */
async function seedCases(commandBus: CommandBus, today: string): Promise<string> {
  const asCiney = actor('as@cpas-ciney.demo', 'cpas-ciney', 'CPAS', ['social_worker']);
  const asDinant = actor('as@cpas-dinant.demo', 'cpas-dinant', 'CPAS', ['social_worker']);
  const delegue = actor('delegue1@saj-dinant.demo', 'saj-dinant', 'SAJ', ['saj_delegate']);
  const log = (caseId: string, by: Actor, key: string, command: CaseCommand) =>
    commandBus.execute(new LogCaseEvent(caseId, command, by, { idempotencyKey: `demo-${key}` }));
  const open = async (
    by: Actor,
    key: string,
    residenceCommune: string,
    occurredOn: string,
    family: { role: 'parent' | 'child'; firstName: string; lastName: string; birthDate: string }[],
  ) =>
    (
      await commandBus.execute<OpenCase, { caseId: string }>(
        new OpenCase(
          { occurredOn, residenceCommune, legalBasis: 'legal_obligation', familyMembers: family },
          by,
          `demo-${key}`,
        ),
      )
    ).caseId;

  /** CPAS Ciney invites the SAJ, which joins on the judicial mandate it records itself. */
  const inviteTheSaj = async (caseId: string, key: string, on: string, delegate: string) => {
    const referralId = uuidFromName(`demo-${key}-referral`);
    await log(caseId, asCiney, key, {
      type: 'SendReferral',
      data: { occurredOn: on, referralId, to: 'saj-dinant', reason: 'joint_follow_up' },
    });
    await log(caseId, delegue, `${key}-accepted`, {
      type: 'AcceptReferral',
      data: {
        occurredOn: on,
        referralId,
        kind: 'SAJ',
        assignedStaffIds: [staffIdOf(delegate)],
        legalBasis: 'judicial_mandate',
      },
    });
  };

  const ciney = await open(asCiney, 'ciney', '91030', daysBefore(today, 40), [
    { role: 'parent', firstName: 'Sophie', lastName: 'Lambotte', birthDate: '1988-03-14' },
    { role: 'child', firstName: 'Noah', lastName: 'Lambotte', birthDate: '2014-09-02' },
  ]);
  await inviteTheSaj(ciney, 'ciney-saj', daysBefore(today, 38), 'delegue1@saj-dinant.demo');
  await log(ciney, delegue, 'ciney-programme', {
    type: 'ChangeAidProgramme',
    data: { occurredOn: daysBefore(today, 20), programme: 'in_family_support' },
  });
  await log(ciney, asCiney, 'ciney-ris', {
    type: 'SuppressRis',
    data: {
      occurredOn: daysBefore(today, 6),
      reason: 'resources_above_threshold',
      effectiveOn: daysBefore(today, 1),
    },
  });

  const dinant = await open(asDinant, 'dinant', '91034', daysBefore(today, 25), [
    { role: 'parent', firstName: 'Karim', lastName: 'Benali', birthDate: '1979-11-30' },
    { role: 'child', firstName: 'Lina', lastName: 'Benali', birthDate: '2011-05-21' },
  ]);
  await log(dinant, asDinant, 'dinant-referral', {
    type: 'SendReferral',
    data: {
      occurredOn: daysBefore(today, 24),
      referralId: uuidFromName('demo-dinant-referral'),
      to: 'saj-dinant',
      reason: 'youth_aid_needed',
    },
  });

  const relocated = await open(asCiney, 'ciney-2', '91030', daysBefore(today, 60), [
    { role: 'parent', firstName: 'Julie', lastName: 'Dethier', birthDate: '1993-07-08' },
  ]);
  await inviteTheSaj(relocated, 'ciney-2-saj', daysBefore(today, 59), 'delegue2@saj-dinant.demo');
  await log(relocated, asCiney, 'ciney-2-move', {
    type: 'RelocateFamily',
    data: {
      occurredOn: daysBefore(today, 10),
      destinationCommune: '91114',
      effectiveOn: daysBefore(today, 10),
      handoverReferralId: uuidFromName('demo-ciney-2-handover'),
    },
  });
  return ciney;
}

/** `hh:mm` on that day in Brussels, as an instant. */
function inBrussels(day: string, time: string): Date {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const untilMidnight = ((23 - hours) * 60 + (59 - minutes)) * 60_000 + 59_999;
  return new Date(endOfDayInBrussels(day).getTime() - untilMidnight);
}

/**
 * The reads the Ciney family's case had last month, as the api would have logged them, so that
 * the DPO has someone to find: a day in the previous month after the SAJ joined (the 15th, or
 * later when the case is younger), a SAJ delegate not assigned to it opening it, the CPAS worker
 * reading its timeline, and a CPAS that is no partner refused.
 */
async function seedAccesses(
  log: AccessLog,
  store: EventStore,
  caseId: string,
  today: string,
): Promise<void> {
  const [opened] = await store.readStream(caseStreamId(caseId), { maxCount: 1 });
  const subjectIds =
    opened?.type === 'CaseOpened'
      ? (opened.data as { subjects: { subjectId: string }[] }).subjects.map((s) => s.subjectId)
      : [];
  const [year = 0, month = 1] = today.split('-').map(Number);
  const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  const later = (a: string, b: string) => (a > b ? a : b);
  const day = later(`${previous}-15`, daysBefore(today, 37));
  const read = (
    email: string,
    organisationId: string,
    time: string,
    route: string,
    outcome: 'allowed' | 'denied',
  ): AccessEntry => ({
    at: inBrussels(day, time),
    staffId: staffIdOf(email),
    organisationId,
    route,
    purpose: 'case_follow_up',
    outcome,
    status: outcome === 'allowed' ? 200 : 404,
    caseIds: [caseId],
    subjectIds: outcome === 'allowed' ? subjectIds : [],
    requestId: `demo-access-${caseId.slice(0, 8)}-${time.replace(':', '')}`,
    clientAddress: null,
  });
  for (const entry of [
    read('delegue2@saj-dinant.demo', 'saj-dinant', '09:30', 'GET /api/v1/cases/:id', 'allowed'),
    read('as@cpas-ciney.demo', 'cpas-ciney', '11:15', 'GET /api/v1/cases/:id/timeline', 'allowed'),
    read('as@cpas-dinant.demo', 'cpas-dinant', '16:40', 'GET /api/v1/cases/:id', 'denied'),
  ])
    await log.write(entry);
}
