import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { hashPassword, Principal } from '@relais/auth';
import {
  checkRolesFit,
  NetworkEvent,
  NetworkRuleViolation,
  OrganisationKind,
  organisationStreamId,
  StaffRole,
  staffEmailStreamId,
  staffStreamId,
  Territory,
} from '@relais/domain';
import {
  EVENT_STORE,
  EventStore,
  toDomainEvent,
  WrongExpectedVersionError,
} from '@relais/event-store';
import { randomUUID } from 'node:crypto';
import { Credentials } from '@relais/read-models';

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

export class RegisterStaffMember {
  constructor(
    readonly staff: {
      id?: string;
      organisationId: string;
      name: string;
      email: string;
      roles: readonly StaffRole[];
      password?: string;
    },
    readonly by: Principal | undefined,
  ) {}
}

const metadataOf = (by: Principal | undefined) =>
  by ? { actor: by.staffId, organisation: by.organisationId } : { actor: 'system' };

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
    try {
      await this.store.append(
        organisationStreamId(organisation.id),
        [{ eventId: randomUUID(), ...event, metadata: metadataOf(by) }],
        { expectedVersion: 'no_stream' },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new NetworkRuleViolation(
          'ORGANISATION_EXISTS',
          `Organisation ${organisation.id} already exists`,
          'id',
        );
      }
      throw error;
    }
    return { id: organisation.id };
  }
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
  ) {}

  async execute({ staff, by }: RegisterStaffMember): Promise<{ id: string }> {
    const organisation = await this.organisationOf(staff.organisationId);
    if (!organisation) {
      throw new NetworkRuleViolation(
        'UNKNOWN_ORGANISATION',
        `No organisation ${staff.organisationId}`,
        'organisationId',
      );
    }
    checkRolesFit(staff.roles, organisation.kind);
    const staffId = staff.id ?? randomUUID();
    const email = staff.email.trim().toLowerCase();
    const metadata = metadataOf(by);
    try {
      await this.store.append(
        staffEmailStreamId(email),
        [{ eventId: randomUUID(), type: 'StaffEmailReserved', data: { staffId }, metadata }],
        { expectedVersion: 'no_stream' },
      );
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
    const event: NetworkEvent = {
      type: 'StaffMemberRegistered',
      data: {
        staffId,
        organisationId: staff.organisationId,
        name: staff.name,
        email,
        roles: staff.roles,
      },
    };
    if (staff.password) await this.credentials.set(staffId, await hashPassword(staff.password));
    await this.store.append(
      staffStreamId(staffId),
      [{ eventId: randomUUID(), ...event, metadata }],
      {
        expectedVersion: 'no_stream',
      },
    );
    return { id: staffId };
  }

  /** From its stream, not the read model: an organisation registered a moment ago counts. */
  private async organisationOf(organisationId: string) {
    const [registered] = await this.store.readStream(organisationStreamId(organisationId), {
      maxCount: 1,
    });
    return registered
      ? toDomainEvent<Extract<NetworkEvent, { type: 'OrganisationRegistered' }>>(registered).data
      : undefined;
  }
}
