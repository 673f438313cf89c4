/**
 * The coordination sociale (art. 62 of the organic law of 8 July 1976 on the CPAS): its member
 * services, bodies, meetings and minutes, and the political officials its minutes go to. Services,
 * never families: nothing here holds case content.
 */

/** A member service is a public service or an association (ASBL). */
export const MEMBER_SECTORS = ['public', 'association'] as const;
export type MemberSector = (typeof MEMBER_SECTORS)[number];

/** The fields a coordination covers (Flémalle's Interservice social lists these six). */
export const MEMBER_FIELDS = [
  'social',
  'health',
  'education',
  'culture',
  'training',
  'employment',
] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

/** Plenary (interservice, COS), steering committee (comité d'accompagnement), working group, commission. */
export const BODY_KINDS = ['plenary', 'steering_committee', 'working_group', 'commission'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

export const ATTENDANCE_STATUSES = ['present', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Where a meeting's minutes are: drafted after it, approved at the next one, then distributed. */
export const MINUTES_STATUSES = ['none', 'drafted', 'approved', 'distributed'] as const;
export type MinutesStatus = (typeof MINUTES_STATUSES)[number];

/** The longest text each coordination input takes. */
export const COORDINATION_LENGTH = {
  name: 200,
  theme: 200,
  serviceName: 200,
  phone: 40,
  street: 200,
  postalCode: 20,
  city: 100,
  province: 100,
  place: 200,
  agendaItem: 300,
  officialRole: 200,
  minutes: 50_000,
} as const;

export const COORDINATION_ITEMS = {
  servicesOffered: 30,
  fields: MEMBER_FIELDS.length,
  agenda: 40,
  attendance: 500,
  /** Member services imported in one HSDS document. */
  hsdsOrganizations: 500,
} as const;

export interface PostalAddress {
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly province: string;
}

export interface ServiceContact {
  readonly email: string;
  readonly phone?: string;
  readonly website?: string;
}

/** `GET /coordination/members`. */
export interface MemberServiceView {
  readonly id: string;
  readonly name: string;
  readonly sector: MemberSector;
  readonly fields: readonly MemberField[];
  readonly address: PostalAddress;
  readonly contact: ServiceContact;
  readonly servicesOffered: readonly string[];
  readonly charterSignedOn: string | null;
  /** The Relais organisation the service is, when it is one (a CPAS, the SAJ). */
  readonly organisationId: string | null;
}

/** An organisation (a member service) or a person sitting in a body. */
export type BodyMember =
  | { readonly kind: 'organisation'; readonly memberId: string }
  | {
      readonly kind: 'person';
      readonly personId: string;
      readonly name: string;
      readonly email: string;
      /** Their Relais account, if they have one: the minutes reach their inbox too. */
      readonly staffId?: string;
      /** The member service they come from, if any. */
      readonly memberId?: string;
    };

/** A body member as listed: organisations with their name. */
export type BodyMemberView = BodyMember & { readonly key: string; readonly name: string };

/** `GET /coordination/bodies`, `GET /coordination/bodies/:id`. */
export interface BodyView {
  readonly id: string;
  readonly kind: BodyKind;
  readonly name: string;
  readonly theme: string;
  readonly members: readonly BodyMemberView[];
}

export interface AttendanceEntry {
  /** A body member's key: the member service's id or the person's id. */
  readonly member: string;
  readonly status: AttendanceStatus;
}

/** `GET /coordination/meetings/:id`. */
export interface MeetingView {
  readonly id: string;
  readonly bodyId: string;
  readonly bodyName: string;
  readonly date: string;
  readonly place: string;
  readonly agenda: readonly string[];
  readonly attendance: readonly AttendanceEntry[];
  readonly minutes: {
    readonly status: MinutesStatus;
    readonly text: string | null;
    readonly approvedAtMeetingId: string | null;
    readonly approvedOn: string | null;
    readonly distributedOn: string | null;
  };
  /** The protocols drafted from this meeting. */
  readonly protocolIds: readonly string[];
}

/** `GET /coordination/protocols/:id/origins`: a meeting a protocol was drafted from. */
export interface ProtocolOrigin {
  readonly meetingId: string;
  readonly bodyId: string;
  readonly bodyName: string;
  readonly date: string;
}

/** `GET /coordination/officials`: a political official the minutes go to. */
export interface PoliticalOfficialView {
  readonly id: string;
  readonly name: string;
  /** As the coordination says it: président du CPAS, échevine des affaires sociales… */
  readonly role: string;
  readonly email: string;
  readonly staffId: string | null;
}

/** `GET /coordination/meetings/:id/deliveries`: one delivery of approved minutes. */
export interface MinutesDeliveryView {
  readonly deliveryId: string;
  readonly channel: 'inbox' | 'email';
  /** A staff id for the inbox, an address for e-mail. */
  readonly recipient: string;
  readonly status: 'pending' | 'delivered' | 'retrying' | 'dead';
  readonly attempts: number;
  readonly at: string | null;
}

/** `GET /coordination/minutes`: approved minutes in a member's inbox. */
export interface MinutesInboxEntry {
  readonly meetingId: string;
  readonly bodyId: string;
  readonly bodyName: string;
  readonly date: string;
  readonly deliveredAt: string;
}
