import { CommandBus } from '@nestjs/cqrs';
import { addDays, uuidFromName } from '@relais/platform';
import type { BodyMember, MemberField, MemberSector } from '@relais/wire';
import {
  ChangeBody,
  ChangeMeeting,
  ChangeMemberService,
  ChangePoliticalOfficials,
  Coordinator,
  MeetingChange,
} from '../coordination/coordination.commands';

const id = (name: string) => uuidFromName(`demo-coordination:${name}`);

interface DemoService {
  readonly key: string;
  readonly name: string;
  readonly sector: MemberSector;
  readonly fields: MemberField[];
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly email: string;
  readonly servicesOffered: string[];
  readonly organisationId?: string;
}

/** The COS's member services: the partners of the protocol, and associations invented for the demo. */
const SERVICES: readonly DemoService[] = [
  {
    key: 'cpas-dinant',
    name: 'CPAS de Dinant',
    sector: 'public',
    fields: ['social', 'employment'],
    street: 'Rue Grande 1',
    postalCode: '5500',
    city: 'Dinant',
    email: 'contact@cpas-dinant.demo',
    servicesOffered: [
      'Revenu d’intégration',
      'Service social général',
      'Insertion socioprofessionnelle',
    ],
    organisationId: 'cpas-dinant',
  },
  {
    key: 'cpas-ciney',
    name: 'CPAS de Ciney',
    sector: 'public',
    fields: ['social', 'health'],
    street: 'Rue du Centre 1',
    postalCode: '5590',
    city: 'Ciney',
    email: 'contact@cpas-ciney.demo',
    servicesOffered: ['Revenu d’intégration', 'Aide aux familles'],
    organisationId: 'cpas-ciney',
  },
  {
    key: 'saj-dinant',
    name: 'SAJ de Dinant',
    sector: 'public',
    fields: ['social', 'education'],
    street: 'Rue de la Jeunesse 1',
    postalCode: '5500',
    city: 'Dinant',
    email: 'contact@saj-dinant.demo',
    servicesOffered: ['Aide à la jeunesse', 'Accompagnement des familles'],
    organisationId: 'saj-dinant',
  },
  {
    key: 'amo',
    name: 'AMO Les Passerelles (démo)',
    sector: 'association',
    fields: ['social', 'education', 'culture'],
    street: 'Place de la Gare 3',
    postalCode: '5500',
    city: 'Dinant',
    email: 'accueil@amo-passerelles.demo',
    servicesOffered: ['Accueil des jeunes', 'Soutien scolaire', 'Travail de rue'],
  },
  {
    key: 'maison-medicale',
    name: 'Maison médicale du Condroz (démo)',
    sector: 'association',
    fields: ['health'],
    street: 'Rue Saint-Roch 8',
    postalCode: '5590',
    city: 'Ciney',
    email: 'accueil@mm-condroz.demo',
    servicesOffered: ['Médecine générale', 'Kinésithérapie', 'Service social'],
  },
];

/**
 * The Dinant network's Comité d'orientation social (COS) and its working group on youth, where the
 * CPAS and the SAJ first asked for a protocol: the member services (charter signed), the political
 * officials, and the group's last three meetings — the first two with minutes approved at the
 * next, the last with minutes still a draft. Nothing is distributed: no demo e-mail goes out.
 */
export async function seedCoordination(
  commandBus: CommandBus,
  today: string,
  who: { readonly coordinator: Coordinator; readonly delegate: string },
): Promise<void> {
  const by = who.coordinator;
  const run = (command: object) => commandBus.execute(command);
  for (const service of SERVICES) {
    const memberId = id(service.key);
    await run(
      new ChangeMemberService(
        memberId,
        {
          type: 'RegisterMemberService',
          data: {
            memberId,
            name: service.name,
            sector: service.sector,
            fields: service.fields,
            address: {
              street: service.street,
              postalCode: service.postalCode,
              city: service.city,
              province: 'Namur',
            },
            contact: { email: service.email },
            servicesOffered: service.servicesOffered,
            charterSignedOn: addDays(today, -400),
            ...(service.organisationId ? { organisationId: service.organisationId } : {}),
          },
        },
        by,
      ),
    );
  }
  for (const official of [
    {
      key: 'president',
      name: 'Président·e du CPAS de Dinant (démo)',
      role: 'Président du CPAS de Dinant',
      email: 'presidence@cpas-dinant.demo',
    },
    {
      key: 'echevine',
      name: 'Échevine des affaires sociales de Ciney (démo)',
      role: 'Échevine des affaires sociales',
      email: 'echevinat-social@ciney.demo',
    },
  ]) {
    const { key, ...data } = official;
    await run(
      new ChangePoliticalOfficials(
        { type: 'ListPoliticalOfficial', data: { officialId: id(`official:${key}`), ...data } },
        by,
      ),
    );
  }

  const body = async (
    key: string,
    data: { kind: 'plenary' | 'working_group'; name: string; theme: string },
    members: BodyMember[],
  ) => {
    const bodyId = id(`body:${key}`);
    await run(new ChangeBody(bodyId, { type: 'CreateBody', data: { bodyId, ...data } }, by));
    for (const member of members) {
      await run(new ChangeBody(bodyId, { type: 'AddBodyMember', data: { member } }, by));
    }
    return bodyId;
  };
  const service = (key: string): BodyMember => ({ kind: 'organisation', memberId: id(key) });
  await body(
    'cos',
    {
      kind: 'plenary',
      name: 'Comité d’orientation social (COS) de Prospect 15',
      theme: 'Coordination de l’action sociale de l’arrondissement',
    },
    SERVICES.map((s) => service(s.key)),
  );
  const delegate: BodyMember = {
    kind: 'person',
    personId: id('person:delegue1'),
    name: 'Délégué·e 1, SAJ de Dinant',
    email: 'delegue1@saj-dinant.demo',
    staffId: who.delegate,
    memberId: id('saj-dinant'),
  };
  const youth = await body(
    'gt-jeunesse',
    {
      kind: 'working_group',
      name: 'Groupe de travail Jeunesse',
      theme: 'Jeunes en difficulté : collaboration CPAS–SAJ',
    },
    [service('cpas-dinant'), service('cpas-ciney'), service('amo'), delegate],
  );

  const meeting = (key: string) => id(`meeting:${key}`);
  const change = (key: string, command: MeetingChange) =>
    run(new ChangeMeeting(meeting(key), command, by));
  const MEETINGS = [
    {
      key: 'septembre',
      date: addDays(today, -70),
      agenda: ['Tour de table des services', 'Jeunes suivis à la fois par un CPAS et le SAJ'],
      text: 'Les CPAS et le SAJ constatent qu’ils suivent souvent les mêmes jeunes sans se le dire. Le groupe propose de mettre à l’ordre du jour du COS une rencontre avec le SAJ.',
    },
    {
      key: 'octobre',
      date: addDays(today, -40),
      agenda: ['Approbation du PV de septembre', 'Projet de protocole de collaboration CPAS–SAJ'],
      text: 'Le groupe rédige une proposition de protocole : les délégués du SAJ et les travailleurs sociaux des CPAS se rencontrent, s’informent du changement de programme d’aide, de la judiciarisation, de la clôture, de la suppression du RIS et du déménagement. Proposition transmise au COS.',
    },
    {
      key: 'novembre',
      date: addDays(today, -10),
      agenda: ['Approbation du PV d’octobre', 'Premier bilan du protocole'],
      text: 'Premier bilan : les informations circulent ; les partenaires souhaitent une réunion annuelle d’évaluation.',
    },
  ];
  // October's meeting drafted the CPAS–SAJ protocol: linked, so its history shows where it came from.
  for (const [i, m] of MEETINGS.entries()) {
    await change(m.key, {
      type: 'ConveneMeeting',
      data: {
        bodyId: youth,
        date: m.date,
        place: 'CPAS de Dinant, salle du conseil',
        agenda: m.agenda,
      },
    });
    await change(m.key, {
      type: 'RecordAttendance',
      data: {
        attendance: [
          { member: id('cpas-dinant'), status: 'present' },
          { member: id('amo'), status: 'present' },
          { member: id('cpas-ciney'), status: i === 1 ? 'excused' : 'present' },
          { member: delegate.personId, status: 'present' },
        ],
      },
    });
    await change(m.key, { type: 'DraftMinutes', data: { text: m.text } });
    if (m.key === 'octobre') {
      await change(m.key, { type: 'LinkProtocol', data: { protocolId: 'dinant-cpas-saj' } });
    }
    const previous = MEETINGS[i - 1];
    if (previous) {
      await change(previous.key, {
        type: 'ApproveMinutes',
        data: { approvedAtMeetingId: meeting(m.key) },
      });
    }
  }
}
