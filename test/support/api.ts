import { eventually, TestRelais } from './relais-app';

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
export function apiOf(relais: TestRelais): Call {
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

/** A case opened by a CPAS Ciney social worker (`token`), which the SAJ Dinant then joins. */
export async function aCaseWithTheSaj(
  call: Call,
  token: string,
  assignedStaffIds: readonly string[] = [],
): Promise<string> {
  const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', token, {
    occurredOn: '2026-11-02',
    residenceCommune: '91030',
    legalBasis: 'legal_obligation',
    familyMembers: [{ role: 'parent', firstName: 'Céline', lastName: 'Dumont' }],
  });
  const joined = await call('POST', `/api/v1/cases/${opened.body.caseId}/events`, token, {
    type: 'PartnerJoined',
    occurredOn: '2026-11-03',
    organisationId: 'saj-dinant',
    assignedStaffIds,
    legalBasis: 'judicial_mandate',
  });
  if (joined.status !== 201) throw new Error(`PartnerJoined answered ${joined.status}`);
  return opened.body.caseId;
}

export interface InboxItem {
  id: string;
  caseId: string;
  from: string;
  ruleId: string;
  dueOn: string;
  acknowledgementDueOn: string | null;
  data: Record<string, unknown>;
  status: string;
  assignedToMe: boolean;
  escalatedOn: string | null;
  breachedOn: string | null;
  fulfilledOutsideOn: string | null;
}

/** The caller's notification about a case, once the engine and the inbox have caught up. */
export async function notificationIn(
  call: Call,
  token: string,
  caseId: string,
  ruleId: string,
  until: (n: InboxItem) => boolean = () => true,
): Promise<InboxItem> {
  let found: InboxItem | undefined;
  await eventually(async () => {
    const inbox = await call<InboxItem[]>('GET', '/api/v1/inbox', token);
    if (!Array.isArray(inbox.body)) throw new Error(`GET /api/v1/inbox answered ${inbox.status}`);
    found = inbox.body.find((n) => n.caseId === caseId && n.ruleId === ruleId);
    return found !== undefined && until(found);
  });
  return found as InboxItem;
}
