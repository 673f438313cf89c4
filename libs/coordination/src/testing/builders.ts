import type { BodyEvent } from '../body';
import type { MeetingEvent } from '../meeting';
import type { MemberServiceEvent, MemberServiceProfile } from '../member-service';

export const AMO_ID = '0f6b1c9e-3a52-4d7e-9b1a-2c8d4e6f8a10';
export const MAISON_MEDICALE_ID = '5d2e8a71-9c34-4b6f-8e1d-7a3c5b9e2f40';

export const aProfile = (overrides: Partial<MemberServiceProfile> = {}): MemberServiceProfile => ({
  name: 'AMO Le Cercle',
  sector: 'association',
  fields: ['social', 'education'],
  address: { street: 'Rue Grande 12', postalCode: '5500', city: 'Dinant', province: 'Namur' },
  contact: { email: 'contact@amo-le-cercle.be', phone: '+32 82 00 00 00' },
  servicesOffered: ['Accueil des jeunes', 'Soutien scolaire'],
  ...overrides,
});

export const aMemberServiceRegistered = (
  memberId = AMO_ID,
  overrides: Partial<MemberServiceProfile> = {},
): MemberServiceEvent => ({
  type: 'MemberServiceRegistered',
  data: { memberId, ...aProfile(overrides) },
});

export const aBodyCreated = (bodyId = 'gt-jeunesse'): BodyEvent => ({
  type: 'BodyCreated',
  data: { bodyId, kind: 'working_group', name: 'Groupe de travail Jeunesse', theme: 'Jeunesse' },
});

export const aServiceJoined = (memberId = AMO_ID, bodyId = 'gt-jeunesse'): BodyEvent => ({
  type: 'BodyMemberJoined',
  data: { bodyId, member: { kind: 'organisation', memberId } },
});

export const aPersonJoined = (personId = 'p-claire', staffId?: string): BodyEvent => ({
  type: 'BodyMemberJoined',
  data: {
    bodyId: 'gt-jeunesse',
    member: {
      kind: 'person',
      personId,
      name: 'Claire Martin',
      email: 'claire.martin@cpas-dinant.be',
      ...(staffId ? { staffId } : {}),
    },
  },
});

export const aMeetingConvened = (meetingId = 'm-oct', date = '2026-10-15'): MeetingEvent => ({
  type: 'MeetingConvened',
  data: {
    meetingId,
    bodyId: 'gt-jeunesse',
    date,
    place: 'CPAS de Dinant, salle du conseil',
    agenda: ['Approbation du PV précédent', 'Collaboration CPAS–SAJ'],
  },
});

export const aMinutesDrafted = (meetingId = 'm-oct'): MeetingEvent => ({
  type: 'MinutesDrafted',
  data: { meetingId, text: 'Les services présentent leurs actions jeunesse.' },
});

export const aMinutesApproved = (meetingId = 'm-oct'): MeetingEvent => ({
  type: 'MinutesApproved',
  data: { meetingId, approvedAtMeetingId: 'm-nov', approvedOn: '2026-11-19' },
});
