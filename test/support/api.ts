import type { Notification } from '@relais/wire';
import { eventually } from './relais-app';

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

export type Call = <T = unknown>(
  method: string,
  path: string,
  token: string,
  body?: unknown,
) => Promise<Answer<T>>;

/** JSON over HTTP to a running Relais, as a client would call it. */
export function apiOf(relais: { readonly url: string }): Call {
  return async <T>(method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** Logs a case event; anything but 201 is a failure of the test's set-up. */
async function logged(call: Call, token: string, caseId: string, event: object): Promise<void> {
  const answer = await call('POST', `/api/v1/cases/${caseId}/events`, token, event);
  if (answer.status !== 201) {
    throw new Error(`${String((event as { type?: unknown }).type)} answered ${answer.status}`);
  }
}

/** A case opened by a CPAS social worker (`token`) for a family of the commune (INS code). */
async function aCase(call: Call, token: string, residenceCommune: string): Promise<string> {
  const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', token, {
    occurredOn: '2026-11-02',
    residenceCommune,
    legalBasis: 'legal_obligation',
    familyMembers: [{ role: 'parent', firstName: 'Céline', lastName: 'Dumont' }],
  });
  if (opened.status !== 201) throw new Error(`POST /api/v1/cases answered ${opened.status}`);
  return opened.body.caseId;
}

/**
 * A case opened by a CPAS social worker (`token`, CPAS Ciney's commune by default), which the SAJ
 * Dinant then joins on its judicial mandate.
 */
export async function aCaseWithTheSaj(
  call: Call,
  token: string,
  assignedStaffIds: readonly string[] = [],
  residenceCommune = '91030',
): Promise<string> {
  const caseId = await aCase(call, token, residenceCommune);
  await joinedBy(call, token, caseId, 'saj-dinant', {
    assignedStaffIds,
    legalBasis: 'judicial_mandate',
  });
  return caseId;
}

/** A case followed with the SAJ on which CPAS Ciney logged a RIS suppression: the SAJ must be told. */
export async function aRisSuppressionForTheSaj(call: Call, token: string): Promise<string> {
  const caseId = await aCaseWithTheSaj(call, token);
  const logged = await call('POST', `/api/v1/cases/${caseId}/events`, token, {
    type: 'RisSuppressed',
    occurredOn: '2026-11-20',
    reason: 'resources_above_threshold',
    effectiveOn: '2026-12-01',
  });
  if (logged.status !== 201) throw new Error(`The RIS suppression was refused: ${logged.status}`);
  return caseId;
}

const DEMO_DELEGATES: Readonly<Record<string, string>> = {
  'saj-dinant': 'delegue1@saj-dinant.demo',
  'spj-dinant': 'delegue@spj-dinant.demo',
};

/** A bearer token of a demo account, for a helper that acts as another organisation. */
export async function demoToken(call: Call, email: string): Promise<string> {
  const answer = await call<{ accessToken: string }>('POST', '/api/v1/auth/token', '', {
    email,
    password: process.env.RELAIS_DEMO_PASSWORD ?? 'relais-demo',
  });
  if (answer.status !== 200) throw new Error(`No token for ${email}: ${answer.status}`);
  return answer.body.accessToken;
}

/**
 * The partner (`token`) invites the organisation (a referral for a joint follow-up), and a member
 * of it accepts on the legal basis it records: the only way an organisation joins a case.
 */
export async function joinedBy(
  call: Call,
  token: string,
  caseId: string,
  organisationId: string,
  acceptance: { assignedStaffIds?: readonly string[]; legalBasis: string; on?: string },
  acceptedWith?: string,
): Promise<void> {
  const on = acceptance.on ?? '2026-11-03';
  await logged(call, token, caseId, {
    type: 'ReferralSent',
    occurredOn: on,
    to: organisationId,
    reason: 'joint_follow_up',
  });
  const view = await call<{ referrals: { referralId: string; to: string; status: string }[] }>(
    'GET',
    `/api/v1/cases/${caseId}`,
    token,
  );
  const referral = view.body.referrals.find((r) => r.to === organisationId && r.status === 'sent');
  const member =
    acceptedWith ??
    (await demoToken(call, DEMO_DELEGATES[organisationId] ?? `as@${organisationId}.demo`));
  await logged(call, member, caseId, {
    type: 'ReferralAccepted',
    occurredOn: on,
    referralId: referral?.referralId,
    assignedStaffIds: acceptance.assignedStaffIds ?? [],
    legalBasis: acceptance.legalBasis,
  });
}

/**
 * A CPAS Ciney case the SAJ joined on the family's consent, withdrawn on 10 November: the SAJ has
 * no legal basis left, and what the protocol owes it is blocked.
 */
export async function aCaseWhoseSajLostItsLegalBasis(call: Call, token: string): Promise<string> {
  const caseId = await aCase(call, token, '91030');
  const view = async () =>
    (
      await call<{ family: { subjectId: string }[]; consents: { consentId: string }[] }>(
        'GET',
        `/api/v1/cases/${caseId}`,
        token,
      )
    ).body;
  await logged(call, token, caseId, {
    type: 'ConsentRecorded',
    occurredOn: '2026-11-03',
    givenBy: (await view()).family[0]?.subjectId,
    sharingWith: ['saj-dinant'],
  });
  await joinedBy(call, token, caseId, 'saj-dinant', { legalBasis: 'family_informed_consent' });
  const consentId = (await view()).consents[0]?.consentId;
  await logged(call, token, caseId, {
    type: 'ConsentWithdrawn',
    occurredOn: '2026-11-10',
    consentId,
  });
  return caseId;
}

/** The caller's notification about a case, once the engine and the inbox have caught up. */
export async function notificationIn(
  call: Call,
  token: string,
  caseId: string,
  ruleId: string,
  until: (n: Notification) => boolean = () => true,
): Promise<Notification> {
  let found: Notification | undefined;
  await eventually(async () => {
    const inbox = await call<Notification[]>('GET', '/api/v1/inbox', token);
    if (!Array.isArray(inbox.body)) throw new Error(`GET /api/v1/inbox answered ${inbox.status}`);
    found = inbox.body.find((n) => n.caseId === caseId && n.ruleId === ruleId);
    return found !== undefined && until(found);
  });
  return found as Notification;
}

/** The demo's youth working group and its meetings, newest first (the newest has draft minutes). */
export async function theDemoYouthGroup(
  call: Call,
  coordinatorToken: string,
): Promise<{ bodyId: string; meetingIds: string[] }> {
  const bodies = await call<{ id: string; name: string }[]>(
    'GET',
    '/api/v1/coordination/bodies',
    coordinatorToken,
  );
  const bodyId = bodies.body.find((b) => b.name === 'Groupe de travail Jeunesse')?.id ?? '';
  const meetings = await call<{ id: string }[]>(
    'GET',
    `/api/v1/coordination/bodies/${bodyId}/meetings`,
    coordinatorToken,
  );
  return { bodyId, meetingIds: meetings.body.map((m) => m.id) };
}
