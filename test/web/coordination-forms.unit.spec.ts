import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import {
  ConveneMeetingDto,
  RegisterMemberServiceDto,
} from '../../apps/api/src/coordination/coordination.dto';
import {
  MEETING_FORM,
  meetingBody,
  MEMBER_FORM,
  memberBody,
  validateMeeting,
  validateMember,
  type MeetingValues,
  type MemberValues,
} from '../../apps/web/src/coordination/forms';

/** The coordination's web forms refuse the fields the API refuses, for what each form sends. */

function paths(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [...(error.constraints ? [path] : []), ...paths(error.children ?? [], path)];
  });
}

async function refusedByApi(dto: new () => object, body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(dto, JSON.parse(JSON.stringify(body))), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return [...new Set(paths(errors))].sort();
}

const AMO: MemberValues = {
  ...MEMBER_FORM,
  name: 'AMO Le Cercle',
  fields: ['social', 'education'],
  'address.street': 'Rue Grande 12',
  'address.postalCode': '5500',
  'address.city': 'Dinant',
  'contact.email': 'contact@amo-le-cercle.demo',
  'contact.phone': '+32 82 22 33 44',
  'contact.website': 'https://amo-le-cercle.demo',
  servicesOffered: 'Accueil des jeunes\nSoutien scolaire',
  charterSignedOn: '01/03/2025',
};

describe('the member form checks what the API checks', () => {
  it.each<[string, Partial<MemberValues>]>([
    ['a whole member service', {}],
    ['no name, no field', { name: '', fields: [] }],
    ['a postal code of two digits', { 'address.postalCode': '55' }],
    ['a short street and town', { 'address.street': 'R', 'address.city': 'D' }],
    ['no e-mail', { 'contact.email': '' }],
    ['a phone of letters', { 'contact.phone': 'appelez-nous' }],
    ['a website without its scheme', { 'contact.website': 'amo-le-cercle.demo' }],
    ['a name too long', { name: 'x'.repeat(201) }],
    ['a service of one letter', { servicesOffered: 'Accueil\nS' }],
  ])('%s', async (_, change) => {
    const values = { ...AMO, ...change };
    const byForm = Object.keys(validateMember(values)).sort();
    expect(byForm).toEqual(await refusedByApi(RegisterMemberServiceDto, memberBody(values)));
  });

  it('sends the charter date as ISO, and leaves out what is left empty', () => {
    const body = memberBody({
      ...AMO,
      'contact.phone': ' ',
      'contact.website': '',
      charterSignedOn: '',
    });
    expect(JSON.parse(JSON.stringify(body.contact))).toEqual({
      email: 'contact@amo-le-cercle.demo',
    });
    expect(body.charterSignedOn).toBeUndefined();
    expect(memberBody(AMO).charterSignedOn).toBe('2025-03-01');
    expect(memberBody(AMO).servicesOffered).toEqual(['Accueil des jeunes', 'Soutien scolaire']);
  });
});

describe('the meeting form checks what the API checks', () => {
  const MEETING: MeetingValues = {
    ...MEETING_FORM,
    date: '13/11/2026',
    place: 'CPAS de Dinant, salle du conseil',
    agenda: 'Approbation du PV précédent\nCollaboration CPAS–SAJ',
  };
  const BODY = '3f0e2c4a-9b1d-4c55-8a7e-2d6f1b0c9e11';
  it.each<[string, Partial<MeetingValues>]>([
    ['a whole meeting', {}],
    ['no date, no place', { date: '', place: '' }],
    ['a day that does not exist', { date: '31/02/2026' }],
    ['an agenda item of one letter', { agenda: 'Tour de table\nX' }],
    ['no agenda', { agenda: '' }],
  ])('%s', async (_, change) => {
    const values = { ...MEETING, ...change };
    const byForm = Object.keys(validateMeeting(values)).sort();
    expect(byForm).toEqual(await refusedByApi(ConveneMeetingDto, meetingBody(BODY, values)));
  });
});
