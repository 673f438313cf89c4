import { Injectable } from '@nestjs/common';
import { CaseCommand, CaseContext, CaseRuleViolation, OrganisationKind } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { NetworkQueries } from '@relais/read-models';
import { Actor, caseContextOf } from './actor-resolver';
import * as dto from './case.dto';

/** Turns a validated event body into the domain command, looking up what the body only names. */
@Injectable()
export class CaseCommands {
  constructor(
    private readonly network: NetworkQueries,
    private readonly directory: CompetenceDirectory,
  ) {}

  /**
   * What the case rules know when the actor decides this command: the write and its preview
   * alike; a command that assigns workers also gets the organisation's active staff.
   */
  async contextOf(command: CaseCommand, by: Actor, now: Date): Promise<CaseContext> {
    const context = caseContextOf(by, this.directory, now);
    if (command.type !== 'ReassignWorker') return context;
    const staff = await this.network.staff(by.organisationId);
    return { ...context, activeStaffIds: new Set(staff.filter((s) => s.active).map((s) => s.id)) };
  }

  async fromBody(
    body: dto.CaseEventDto,
    actor: { organisationId: string; organisationKind: OrganisationKind },
    newId: (purpose: string) => string,
  ): Promise<CaseCommand> {
    const { occurredOn } = body;
    if (body instanceof dto.PartnerLeftDto) return { type: 'LeaveCase', data: { occurredOn } };
    if (body instanceof dto.ConsentRecordedDto) {
      return {
        type: 'RecordConsent',
        data: {
          occurredOn,
          consentId: newId('consent'),
          givenBy: body.givenBy,
          sharingWith: body.sharingWith,
        },
      };
    }
    if (body instanceof dto.ConsentWithdrawnDto)
      return { type: 'WithdrawConsent', data: { occurredOn, consentId: body.consentId } };
    if (body instanceof dto.ReferralSentDto) {
      await this.kindOf(body.to, 'to');
      return {
        type: 'SendReferral',
        data: { occurredOn, referralId: newId('referral'), to: body.to, reason: body.reason },
      };
    }
    if (body instanceof dto.ReferralAcceptedDto) {
      const { referralId, assignedStaffIds, legalBasis } = body;
      await this.checkAssignable(assignedStaffIds, actor.organisationId);
      return {
        type: 'AcceptReferral',
        data: {
          occurredOn,
          referralId,
          kind: actor.organisationKind,
          assignedStaffIds,
          legalBasis,
        },
      };
    }
    if (body instanceof dto.ReferralDeclinedDto) {
      return {
        type: 'DeclineReferral',
        data: { occurredOn, referralId: body.referralId, reason: body.reason },
      };
    }
    if (body instanceof dto.AidProgrammeChangedDto)
      return { type: 'ChangeAidProgramme', data: { occurredOn, programme: body.programme } };
    if (body instanceof dto.CaseJudicialisedDto)
      return { type: 'JudicialiseCase', data: { occurredOn, to: body.to } };
    if (body instanceof dto.CaseClosedDto)
      return { type: 'CloseFile', data: { occurredOn, reason: body.reason } };
    if (body instanceof dto.RisSuppressedDto) {
      return {
        type: 'SuppressRis',
        data: { occurredOn, reason: body.reason, effectiveOn: body.effectiveOn },
      };
    }
    if (body instanceof dto.FamilyRelocatedDto) {
      return {
        type: 'RelocateFamily',
        data: {
          occurredOn,
          destinationCommune: body.destinationCommune,
          effectiveOn: body.effectiveOn,
          handoverReferralId: newId('handover'),
        },
      };
    }
    if (body instanceof dto.CaseWorkerReassignedDto) {
      return {
        type: 'ReassignWorker',
        data: { occurredOn, assignedStaffIds: body.assignedStaffIds },
      };
    }
    if (body instanceof dto.InformationSharedOutsideRelaisDto) {
      await this.kindOf(body.sharedWith, 'sharedWith');
      const { channel, sharedWith, about, aboutEventId } = body;
      return {
        type: 'RecordInformationSharedOutsideRelais',
        data: { occurredOn, channel, sharedWith, about, ...(aboutEventId ? { aboutEventId } : {}) },
      };
    }
    throw new Error(`No command for ${body.type}`);
  }

  /** Those assigned to a case are active staff of the organisation that assigns them. */
  async checkAssignable(staffIds: readonly string[], organisationId: string): Promise<void> {
    if (staffIds.length === 0) return;
    const staff = new Map((await this.network.staff(organisationId)).map((s) => [s.id, s]));
    staffIds.forEach((staffId, index) => {
      if (staff.get(staffId)?.active !== true) {
        throw new CaseRuleViolation(
          'NOT_ASSIGNABLE',
          `${staffId} is not an active member of staff of ${organisationId}`,
          `assignedStaffIds.${index}`,
        );
      }
    });
  }

  private async kindOf(
    organisationId: string,
    field = 'organisationId',
  ): Promise<OrganisationKind> {
    const organisation = await this.network.organisation(organisationId);
    if (!organisation) {
      throw new CaseRuleViolation(
        'UNKNOWN_ORGANISATION',
        `No organisation ${organisationId} in the network`,
        field,
      );
    }
    return organisation.kind;
  }
}
