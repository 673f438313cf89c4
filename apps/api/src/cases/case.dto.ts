import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AID_PROGRAMME_KINDS,
  CASE_EVENT_TYPES,
  CLOSE_REASONS,
  DECLINE_REASONS,
  JUDICIALISED_TO,
  LEGAL_BASES,
  REFERRAL_REASONS,
  RIS_SUPPRESSION_REASONS,
  SHARING_CHANNELS,
  SUBJECT_ROLES,
  type AidProgrammeKind,
  type CaseEventType,
  type CloseReason,
  type DeclineReason,
  type JudicialisedTo,
  type LegalBasis,
  type ReferralReason,
  type RisSuppressionReason,
  type SharingChannel,
  type SubjectRole,
} from '@relais/domain';
import { IsCalendarDate } from '@relais/platform';
import { MAX_ITEMS, MAX_LENGTH } from '@relais/wire';

const ORGANISATION = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class AddressDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(MAX_LENGTH.street) readonly street!: string;
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_LENGTH.postalCode)
  readonly postalCode!: string;
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_LENGTH.municipality)
  readonly municipality!: string;
}

export class FamilyMemberDto {
  @ApiProperty({ enum: SUBJECT_ROLES }) @IsIn(SUBJECT_ROLES) readonly role!: SubjectRole;
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_LENGTH.personName)
  readonly firstName!: string;
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_LENGTH.personName)
  readonly lastName!: string;
  @ApiPropertyOptional({ example: '2012-04-17' })
  @IsOptional()
  @IsCalendarDate()
  readonly birthDate?: string;
  @ApiPropertyOptional({ description: 'Belgian national register number, 11 digits' })
  @IsOptional()
  @MaxLength(MAX_LENGTH.niss, { message: 'niss must be 11 digits' })
  @Matches(/^\d{11}$/, { message: 'niss must be 11 digits' })
  readonly niss?: string;
  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  readonly address?: AddressDto;
}

export class OpenCaseDto {
  @ApiProperty({ example: '2026-11-20' }) @IsCalendarDate() readonly occurredOn!: string;
  @ApiProperty({ example: '91030', description: 'INS code of the commune the family lives in' })
  @MaxLength(MAX_LENGTH.ins, { message: 'residenceCommune must be a 5-digit INS code' })
  @Matches(/^\d{5}$/, { message: 'residenceCommune must be a 5-digit INS code' })
  readonly residenceCommune!: string;
  @ApiProperty({ enum: LEGAL_BASES }) @IsIn(LEGAL_BASES) readonly legalBasis!: LegalBasis;
  @ApiPropertyOptional({
    type: [String],
    description: 'Staff of the opening organisation; the caller when absent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.staff)
  @IsString({ each: true })
  @MaxLength(MAX_LENGTH.id, { each: true })
  readonly assignedStaffIds?: string[];
  @ApiProperty({ type: [FamilyMemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS.familyMembers)
  @ValidateNested({ each: true })
  @Type(() => FamilyMemberDto)
  readonly familyMembers!: FamilyMemberDto[];
}

/** The body of `POST /cases/:id/events`: `type` picks which of the classes below validates it. */
export abstract class CaseEventDto {
  @ApiProperty({ enum: CASE_EVENT_TYPES }) @IsIn(CASE_EVENT_TYPES) readonly type!: CaseEventType;
  @ApiProperty({ example: '2026-11-20' }) @IsCalendarDate() readonly occurredOn!: string;
}

export class PartnerLeftDto extends CaseEventDto {}
export class ConsentRecordedDto extends CaseEventDto {
  @IsUUID() readonly givenBy!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS.organisations)
  @MaxLength(MAX_LENGTH.slug, { each: true })
  @Matches(ORGANISATION, { each: true })
  readonly sharingWith!: string[];
}
export class ConsentWithdrawnDto extends CaseEventDto {
  @IsString() @MinLength(1) @MaxLength(MAX_LENGTH.id) readonly consentId!: string;
}
export class ReferralSentDto extends CaseEventDto {
  @MaxLength(MAX_LENGTH.slug) @Matches(ORGANISATION) readonly to!: string;
  @IsIn(REFERRAL_REASONS) readonly reason!: ReferralReason;
}
export class ReferralAcceptedDto extends CaseEventDto {
  @IsString() @MinLength(1) @MaxLength(MAX_LENGTH.id) readonly referralId!: string;
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.staff)
  @IsString({ each: true })
  @MaxLength(MAX_LENGTH.id, { each: true })
  readonly assignedStaffIds!: string[];
  @IsIn(LEGAL_BASES) readonly legalBasis!: LegalBasis;
}
export class ReferralDeclinedDto extends CaseEventDto {
  @IsString() @MinLength(1) @MaxLength(MAX_LENGTH.id) readonly referralId!: string;
  @IsIn(DECLINE_REASONS) readonly reason!: DeclineReason;
}
export class AidProgrammeChangedDto extends CaseEventDto {
  @IsIn(AID_PROGRAMME_KINDS) readonly programme!: AidProgrammeKind;
}
export class CaseJudicialisedDto extends CaseEventDto {
  @IsIn(JUDICIALISED_TO) readonly to!: JudicialisedTo;
}
export class CaseClosedDto extends CaseEventDto {
  @IsIn(CLOSE_REASONS) readonly reason!: CloseReason;
}
export class RisSuppressedDto extends CaseEventDto {
  @IsIn(RIS_SUPPRESSION_REASONS) readonly reason!: RisSuppressionReason;
  @IsCalendarDate() readonly effectiveOn!: string;
}
export class FamilyRelocatedDto extends CaseEventDto {
  @MaxLength(MAX_LENGTH.ins, { message: 'destinationCommune must be a 5-digit INS code' })
  @Matches(/^\d{5}$/, { message: 'destinationCommune must be a 5-digit INS code' })
  readonly destinationCommune!: string;
  @IsCalendarDate() readonly effectiveOn!: string;
}
export class CaseWorkerReassignedDto extends CaseEventDto {
  @ApiProperty({ type: [String], description: 'Active staff of the caller’s organisation' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS.staff)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(MAX_LENGTH.id, { each: true })
  readonly assignedStaffIds!: string[];
}
export class InformationSharedOutsideRelaisDto extends CaseEventDto {
  @IsIn(SHARING_CHANNELS) readonly channel!: SharingChannel;
  @MaxLength(MAX_LENGTH.slug) @Matches(ORGANISATION) readonly sharedWith!: string;
  @IsIn(CASE_EVENT_TYPES) readonly about!: CaseEventType;
  @IsOptional() @IsUUID() readonly aboutEventId?: string;
}

export const CASE_EVENT_BODIES: Record<CaseEventType, (new () => CaseEventDto) | undefined> = {
  // Recorded, never logged: a case opens with POST /cases; an organisation joins by accepting a referral.
  CaseOpened: undefined,
  PartnerJoined: undefined,
  PartnerLeft: PartnerLeftDto,
  ConsentRecorded: ConsentRecordedDto,
  ConsentWithdrawn: ConsentWithdrawnDto,
  ReferralSent: ReferralSentDto,
  ReferralAccepted: ReferralAcceptedDto,
  ReferralDeclined: ReferralDeclinedDto,
  AidProgrammeChanged: AidProgrammeChangedDto,
  CaseJudicialised: CaseJudicialisedDto,
  CaseClosed: CaseClosedDto,
  RisSuppressed: RisSuppressedDto,
  FamilyRelocated: FamilyRelocatedDto,
  CaseWorkerReassigned: CaseWorkerReassignedDto,
  InformationSharedOutsideRelais: InformationSharedOutsideRelaisDto,
};
