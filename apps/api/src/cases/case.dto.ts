import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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

const ORGANISATION = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class AddressDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) readonly street!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20) readonly postalCode!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) readonly municipality!: string;
}

export class FamilyMemberDto {
  @ApiProperty({ enum: SUBJECT_ROLES }) @IsIn(SUBJECT_ROLES) readonly role!: SubjectRole;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) readonly firstName!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) readonly lastName!: string;
  @ApiPropertyOptional({ example: '2012-04-17' })
  @IsOptional()
  @IsCalendarDate()
  readonly birthDate?: string;
  @ApiPropertyOptional({ description: 'Belgian national register number, 11 digits' })
  @IsOptional()
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
  @Matches(/^\d{5}$/, { message: 'residenceCommune must be a 5-digit INS code' })
  readonly residenceCommune!: string;
  @ApiProperty({ enum: LEGAL_BASES }) @IsIn(LEGAL_BASES) readonly legalBasis!: LegalBasis;
  @ApiPropertyOptional({
    type: [String],
    description: 'Staff of the opening organisation; the caller when absent',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  readonly assignedStaffIds?: string[];
  @ApiProperty({ type: [FamilyMemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FamilyMemberDto)
  readonly familyMembers!: FamilyMemberDto[];
}

/** The body of `POST /cases/:id/events`: `type` picks which of the classes below validates it. */
export abstract class CaseEventDto {
  @ApiProperty({ enum: CASE_EVENT_TYPES }) @IsIn(CASE_EVENT_TYPES) readonly type!: CaseEventType;
  @ApiProperty({ example: '2026-11-20' }) @IsCalendarDate() readonly occurredOn!: string;
}

export class PartnerJoinedDto extends CaseEventDto {
  @Matches(ORGANISATION) readonly organisationId!: string;
  @IsArray() @IsString({ each: true }) readonly assignedStaffIds!: string[];
  @IsIn(LEGAL_BASES) readonly legalBasis!: LegalBasis;
}
export class PartnerLeftDto extends CaseEventDto {}
export class ConsentRecordedDto extends CaseEventDto {
  @IsUUID() readonly givenBy!: string;
  @IsArray()
  @ArrayMinSize(1)
  @Matches(ORGANISATION, { each: true })
  readonly sharingWith!: string[];
}
export class ConsentWithdrawnDto extends CaseEventDto {
  @IsString() @MinLength(1) readonly consentId!: string;
}
export class ReferralSentDto extends CaseEventDto {
  @Matches(ORGANISATION) readonly to!: string;
  @IsIn(REFERRAL_REASONS) readonly reason!: ReferralReason;
}
export class ReferralAcceptedDto extends CaseEventDto {
  @IsString() @MinLength(1) readonly referralId!: string;
  @IsArray() @IsString({ each: true }) readonly assignedStaffIds!: string[];
  @IsIn(LEGAL_BASES) readonly legalBasis!: LegalBasis;
}
export class ReferralDeclinedDto extends CaseEventDto {
  @IsString() @MinLength(1) readonly referralId!: string;
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
  @Matches(/^\d{5}$/, { message: 'destinationCommune must be a 5-digit INS code' })
  readonly destinationCommune!: string;
  @IsCalendarDate() readonly effectiveOn!: string;
}
export class InformationSharedOutsideRelaisDto extends CaseEventDto {
  @IsIn(SHARING_CHANNELS) readonly channel!: SharingChannel;
  @Matches(ORGANISATION) readonly sharedWith!: string;
  @IsIn(CASE_EVENT_TYPES) readonly about!: CaseEventType;
  @IsOptional() @IsUUID() readonly aboutEventId?: string;
}

export const CASE_EVENT_BODIES: Record<CaseEventType, (new () => CaseEventDto) | undefined> = {
  CaseOpened: undefined,
  PartnerJoined: PartnerJoinedDto,
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
  InformationSharedOutsideRelais: InformationSharedOutsideRelaisDto,
};
