import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { hashPassword, PasswordPolicy, Principal } from '@relais/auth';
import {
  checkAdministers,
  IsoDate,
  NetworkEvent,
  NetworkRuleViolation,
  OrganisationKind,
  organisationStreamId,
  StaffAdministrator,
  StaffCommand,
  staffDecider,
  staffEmailStreamId,
  StaffRole,
  StaffState,
  staffStreamId,
  Territory,
  fold,
  isStaffEvent,
  NotFound,
} from '@relais/domain';
import {
  commandHandler,
  appendDecided,
  EVENT_STORE,
  EventMetadata,
  Evolver,
  EventStore,
  toDomainEvent,
  WrongExpectedVersionError,
} from '@relais/event-store';
import { randomUUID } from 'node:crypto';
import { belgianPhoneNumber } from '@relais/wire';
import { InvalidInputException } from '@relais/platform';
import { Credentials } from '@relais/read-models';
import { Clock, CLOCK } from '@relais/platform';

type OrganisationRegistered = Extract<NetworkEvent, { type: 'OrganisationRegistered' }>['data'];

export class RegisterOrganisation {
  constructor(
    readonly organisation: {
      id: string;
      name: string;
      kind: OrganisationKind;
      territory: Territory;
      contactEmail: string;
      closureDays: readonly string[];
    },
    readonly by: Principal | undefined,
  ) {}
}

/** What may change about an organisation once registered; its id, kind and territory stay. */
export class UpdateOrganisation {
  constructor(
    readonly organisationId: string,
    readonly changes: {
      readonly name?: string;
      readonly contactEmail?: string;
      readonly closureDays?: readonly IsoDate[];
    },
    readonly by: Principal,
  ) {}
}

export class RegisterStaffMember {
  constructor(
    readonly staff: {
      id?: string;
      organisationId: string;
      name: string;
      email: string;
      roles: readonly StaffRole[];
      password?: string;
      /** As typed: kept as `+32…`. */
      phone?: string;
    },
    readonly by: Principal | undefined,
  ) {}
}

/** An edit, a deactivation or a reactivation of an existing account. */
export class ChangeStaffMember {
  constructor(
    readonly staffId: string,
    readonly change:
      | {
          readonly type: 'UpdateStaffMember';
          readonly name?: string;
          readonly roles?: readonly StaffRole[];
          /** As typed; null removes it. */
          readonly phone?: string | null;
        }
      | { readonly type: 'DeactivateStaffMember' }
      | { readonly type: 'ReactivateStaffMember' },
    readonly by: Principal,
  ) {}
}

export const metadataOf = (by: Principal | undefined): EventMetadata =>
  by ? { actor: by.staffId, organisation: by.organisationId } : { actor: 'system' };

const actorOf = (by: Principal | undefined): string => by?.staffId ?? 'system';

const administratorOf = (by: Principal | undefined): StaffAdministrator =>
  by
    ? { kind: 'staff', staffId: by.staffId, organisationId: by.organisationId, roles: by.roles }
    : { kind: 'system' };

interface OrganisationNow {
  readonly registered: OrganisationRegistered;
  /** What may change, as the latest event says. */
  readonly current: { name: string; contactEmail: string; closureDays: readonly IsoDate[] };
  readonly version: number;
}

/** An organisation's stream folded: undefined until it is registered. */
const organisationEvolver: Evolver<NetworkEvent, OrganisationNow | undefined> = {
  initialState: undefined,
  evolve: (state, event) => {
    if (event.type === 'OrganisationRegistered') {
      return { registered: event.data, current: event.data, version: 1 };
    }
    if (!state) return state;
    const current = event.type === 'OrganisationUpdated' ? event.data : state.current;
    return { ...state, current, version: state.version + 1 };
  },
};

const handleOrganisation = commandHandler(organisationEvolver);

/** The organisation as its stream says, from the store: one registered a moment ago counts. */
export async function organisationOf(
  store: EventStore,
  organisationId: string,
): Promise<OrganisationNow | undefined> {
  const events = await store.readStream(organisationStreamId(organisationId));
  return fold(organisationEvolver, events.map(toDomainEvent<NetworkEvent>));
}

async function knownOrganisation(store: EventStore, organisationId: string) {
  const organisation = await organisationOf(store, organisationId);
  if (!organisation) {
    throw new NetworkRuleViolation(
      'UNKNOWN_ORGANISATION',
      `No organisation ${organisationId}`,
      'organisationId',
    );
  }
  return organisation;
}

@CommandHandler(RegisterOrganisation)
export class RegisterOrganisationHandler implements ICommandHandler<
  RegisterOrganisation,
  { id: string }
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ organisation, by }: RegisterOrganisation): Promise<{ id: string }> {
    const { id, name, kind, territory, contactEmail, closureDays } = organisation;
    const event: NetworkEvent = {
      type: 'OrganisationRegistered',
      data: { organisationId: id, name, kind, territory, contactEmail, closureDays },
    };
    const exists = () =>
      new NetworkRuleViolation(
        'ORGANISATION_EXISTS',
        `Organisation ${organisation.id} already exists`,
        'id',
      );
    try {
      await handleOrganisation(
        this.store,
        organisationStreamId(organisation.id),
        (current) => {
          if (current) throw exists();
          return [event];
        },
        { identity: { actor: actorOf(by), content: event }, metadata: metadataOf(by) },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw exists();
      throw error;
    }
    return { id: organisation.id };
  }
}

@CommandHandler(UpdateOrganisation)
export class UpdateOrganisationHandler implements ICommandHandler<
  UpdateOrganisation,
  { id: string }
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ organisationId, changes, by }: UpdateOrganisation): Promise<{ id: string }> {
    await handleOrganisation(
      this.store,
      organisationStreamId(organisationId),
      (organisation) => {
        if (!organisation) {
          throw new NotFound('ORGANISATION_NOT_FOUND', `No organisation ${organisationId}`);
        }
        checkAdministers(administratorOf(by), organisationId);
        const { current } = organisation;
        const event: NetworkEvent = {
          type: 'OrganisationUpdated',
          data: {
            organisationId,
            name: changes.name ?? current.name,
            contactEmail: changes.contactEmail ?? current.contactEmail,
            closureDays: [...new Set(changes.closureDays ?? current.closureDays)].sort(),
          },
        };
        return [event];
      },
      { identity: { actor: actorOf(by), content: changes }, metadata: metadataOf(by) },
    );
    return { id: organisationId };
  }
}

const handleStaff = commandHandler<NetworkEvent, StaffState>({
  initialState: staffDecider.initialState,
  evolve: (state, event) => (isStaffEvent(event) ? staffDecider.evolve(state, event) : state),
});

/** A staff command on the one command path. */
async function decideForStaff(
  store: EventStore,
  staffId: string,
  command: StaffCommand,
  by: Principal | undefined,
): Promise<void> {
  await handleStaff(
    store,
    staffStreamId(staffId),
    (state) => staffDecider.decide(command, state, { by: administratorOf(by) }),
    { identity: { actor: actorOf(by), content: command }, metadata: metadataOf(by) },
  );
}

@Injectable()
@CommandHandler(RegisterStaffMember)
export class RegisterStaffMemberHandler implements ICommandHandler<
  RegisterStaffMember,
  { id: string }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly credentials: Credentials,
    private readonly passwords: PasswordPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ staff, by }: RegisterStaffMember): Promise<{ id: string }> {
    const weak =
      staff.password === undefined
        ? undefined
        : this.passwords.problem(staff.password, [staff.email, staff.name, staff.organisationId]);
    if (weak) throw new InvalidInputException([{ field: 'password', message: weak }]);
    const { registered } = await knownOrganisation(this.store, staff.organisationId);
    const staffId = staff.id ?? randomUUID();
    const email = staff.email.trim().toLowerCase();
    const command: StaffCommand = {
      type: 'RegisterStaffMember',
      data: {
        staffId,
        organisationId: staff.organisationId,
        organisationKind: registered.kind,
        name: staff.name,
        email,
        roles: staff.roles,
        ...phoneOf(staff.phone),
      },
    };
    // Decided once before the address is reserved, so a refused grant reserves nothing.
    staffDecider.decide(command, staffDecider.initialState, { by: administratorOf(by) });
    await this.reserve(email, staffId, by);
    if (staff.password) await this.credentials.set(staffId, await hashPassword(staff.password));
    await decideForStaff(this.store, staffId, command, by);
    return { id: staffId };
  }

  /**
   * Reserves the address for this account. An address already reserved stays taken, unless its
   * reservation is orphaned: older than a minute and no account was ever registered under it.
   */
  private async reserve(email: string, staffId: string, by: Principal | undefined) {
    const stream = staffEmailStreamId(email);
    const reservation: NetworkEvent = { type: 'StaffEmailReserved', data: { staffId } };
    const reserveAt = (version: number) =>
      appendDecided(
        this.store,
        stream,
        [reservation],
        { actor: actorOf(by), content: reservation, version },
        { metadata: metadataOf(by), expectedVersion: version, recordedAt: this.clock.now() },
      );
    try {
      await reserveAt(0);
      return;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    const [latest] = await this.store.readStream(stream, { direction: 'backward', maxCount: 1 });
    const reserved = latest
      ? toDomainEvent<Extract<NetworkEvent, { type: 'StaffEmailReserved' }>>(latest).data.staffId
      : undefined;
    const orphaned =
      latest !== undefined &&
      reserved !== undefined &&
      this.clock.now().getTime() - latest.recordedAt.getTime() > ORPHANED_RESERVATION_MS &&
      (await this.store.streamVersion(staffStreamId(reserved))) === 0;
    if (!orphaned) {
      throw new NetworkRuleViolation(
        'STAFF_EMAIL_TAKEN',
        `${email} already has an account`,
        'email',
      );
    }
    try {
      await reserveAt(latest.streamPosition);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new NetworkRuleViolation(
          'STAFF_EMAIL_TAKEN',
          `${email} already has an account`,
          'email',
        );
      }
      throw error;
    }
  }
}

/** A phone as typed, kept in its international form (the DTO checked it is one). */
function phoneOf(typed: string | undefined): { phone?: string } {
  const phone = typed === undefined ? undefined : belgianPhoneNumber(typed);
  return phone === undefined ? {} : { phone };
}

/** A reservation whose account never followed (a crash between the two appends) is released after this. */
const ORPHANED_RESERVATION_MS = 60_000;
@CommandHandler(ChangeStaffMember)
export class ChangeStaffMemberHandler implements ICommandHandler<
  ChangeStaffMember,
  { id: string }
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ staffId, change, by }: ChangeStaffMember): Promise<{ id: string }> {
    let command: StaffCommand;
    if (change.type === 'UpdateStaffMember') {
      const account = await this.store.readStream(staffStreamId(staffId), { maxCount: 1 });
      const first = account[0];
      if (!first) throw new NotFound('UNKNOWN_STAFF_MEMBER', `No member of staff ${staffId}`);
      const { organisationId } =
        toDomainEvent<Extract<NetworkEvent, { type: 'StaffMemberRegistered' }>>(first).data;
      const { registered } = await knownOrganisation(this.store, organisationId);
      command = {
        type: 'UpdateStaffMember',
        data: {
          organisationKind: registered.kind,
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.roles === undefined ? {} : { roles: change.roles }),
          ...(change.phone === null ? { phone: null } : phoneOf(change.phone)),
        },
      };
    } else {
      command = { type: change.type };
    }
    await decideForStaff(this.store, staffId, command, by);
    return { id: staffId };
  }
}
