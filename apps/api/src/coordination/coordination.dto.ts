import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '@relais/platform';
import {
  ATTENDANCE_STATUSES,
  type AttendanceStatus,
  BODY_KINDS,
  type BodyKind,
  COORDINATION_ITEMS,
  COORDINATION_LENGTH,
  MAX_LENGTH,
  MEMBER_FIELDS,
  MEMBER_SECTORS,
  type MemberField,
  type MemberSector,
} from '@relais/wire';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PHONE = /^\+?[0-9][0-9 ./()-]{5,38}$/;

export class PostalAddressDto {
  @ApiProperty({ example: 'Rue Grande 12' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.street)
  readonly street!: string;

  @ApiProperty({ example: '5500' })
  @Matches(/^\d{4}$/, { message: 'postalCode must be a Belgian postal code (4 digits)' })
  @MaxLength(COORDINATION_LENGTH.postalCode)
  readonly postalCode!: string;

  @ApiProperty({ example: 'Dinant' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.city)
  readonly city!: string;

  @ApiProperty({ example: 'Namur' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.province)
  readonly province!: string;
}

export class ServiceContactDto {
  @ApiProperty({ example: 'contact@amo-le-cercle.be' })
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly email!: string;

  @ApiPropertyOptional({ example: '+32 82 22 33 44' })
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be a telephone number' })
  @MaxLength(COORDINATION_LENGTH.phone)
  readonly phone?: string;

  @ApiPropertyOptional({ example: 'https://amo-le-cercle.be' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(MAX_LENGTH.url)
  readonly website?: string;
}

/** What registering and editing a member service share; every field optional for an edit. */
class MemberServiceFieldsDto {
  @ApiProperty({ example: 'AMO Le Cercle' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.name)
  readonly name!: string;

  @ApiProperty({ enum: MEMBER_SECTORS })
  @IsIn(MEMBER_SECTORS)
  readonly sector!: MemberSector;

  @ApiProperty({ enum: MEMBER_FIELDS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(COORDINATION_ITEMS.fields)
  @ArrayUnique()
  @IsIn(MEMBER_FIELDS, { each: true })
  readonly fields!: MemberField[];

  @ApiProperty({ type: PostalAddressDto })
  @ValidateNested()
  @Type(() => PostalAddressDto)
  readonly address!: PostalAddressDto;

  @ApiProperty({ type: ServiceContactDto })
  @ValidateNested()
  @Type(() => ServiceContactDto)
  readonly contact!: ServiceContactDto;

  @ApiProperty({ example: ['Accueil des jeunes', 'Soutien scolaire'] })
  @IsArray()
  @ArrayMaxSize(COORDINATION_ITEMS.servicesOffered)
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(COORDINATION_LENGTH.serviceName, { each: true })
  readonly servicesOffered!: string[];

  @ApiPropertyOptional({ example: 'cpas-dinant', description: 'The Relais organisation it is' })
  @IsOptional()
  @Matches(SLUG)
  @MaxLength(MAX_LENGTH.slug)
  readonly organisationId?: string;
}

export class RegisterMemberServiceDto extends MemberServiceFieldsDto {
  @ApiPropertyOptional({ example: '2025-03-01' })
  @IsOptional()
  @IsCalendarDate()
  readonly charterSignedOn?: string;
}

export class UpdateMemberServiceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.name)
  readonly name?: string;

  @ApiPropertyOptional({ enum: MEMBER_SECTORS })
  @IsOptional()
  @IsIn(MEMBER_SECTORS)
  readonly sector?: MemberSector;

  @ApiPropertyOptional({ enum: MEMBER_FIELDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(COORDINATION_ITEMS.fields)
  @ArrayUnique()
  @IsIn(MEMBER_FIELDS, { each: true })
  readonly fields?: MemberField[];

  @ApiPropertyOptional({ type: PostalAddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PostalAddressDto)
  readonly address?: PostalAddressDto;

  @ApiPropertyOptional({ type: ServiceContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceContactDto)
  readonly contact?: ServiceContactDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(COORDINATION_ITEMS.servicesOffered)
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(COORDINATION_LENGTH.serviceName, { each: true })
  readonly servicesOffered?: string[];
}

export class SignCharterDto {
  @ApiProperty({ example: '2026-11-20' })
  @IsCalendarDate()
  readonly signedOn!: string;
}

export class CreateBodyDto {
  @ApiProperty({ enum: BODY_KINDS })
  @IsIn(BODY_KINDS)
  readonly kind!: BodyKind;

  @ApiProperty({ example: 'Groupe de travail Jeunesse' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.name)
  readonly name!: string;

  @ApiProperty({ example: 'Jeunesse' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.theme)
  readonly theme!: string;
}

/** An organisation (a member service of the directory) or a person. */
export class BodyMemberDto {
  @ApiProperty({ enum: ['organisation', 'person'] })
  @IsIn(['organisation', 'person'])
  readonly kind!: 'organisation' | 'person';

  @ApiPropertyOptional({ description: 'The member service: required for an organisation' })
  @ValidateIf((o: BodyMemberDto) => o.kind === 'organisation' || o.memberId !== undefined)
  @IsUUID()
  readonly memberId?: string;

  @ApiPropertyOptional({ example: 'Claire Martin', description: 'For a person' })
  @ValidateIf((o: BodyMemberDto) => o.kind === 'person')
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.staffName)
  readonly name?: string;

  @ApiPropertyOptional({ example: 'claire.martin@cpas-dinant.be', description: 'For a person' })
  @ValidateIf((o: BodyMemberDto) => o.kind === 'person')
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly email?: string;

  @ApiPropertyOptional({ description: 'A person’s Relais account' })
  @IsOptional()
  @IsUUID()
  readonly staffId?: string;
}

export class ConveneMeetingDto {
  @ApiProperty()
  @IsUUID()
  readonly bodyId!: string;

  @ApiProperty({ example: '2026-12-10' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: 'CPAS de Dinant, salle du conseil' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.place)
  readonly place!: string;

  @ApiProperty({ example: ['Approbation du PV précédent', 'Tour de table'] })
  @IsArray()
  @ArrayMaxSize(COORDINATION_ITEMS.agenda)
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(COORDINATION_LENGTH.agendaItem, { each: true })
  readonly agenda!: string[];
}

export class AttendanceEntryDto {
  @ApiProperty({ description: 'A body member’s key: the member service’s or the person’s id' })
  @IsString()
  @MaxLength(MAX_LENGTH.id)
  readonly member!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  readonly status!: AttendanceStatus;
}

export class AttendanceDto {
  @ApiProperty({ type: [AttendanceEntryDto] })
  @IsArray()
  @ArrayMaxSize(COORDINATION_ITEMS.attendance)
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryDto)
  readonly attendance!: AttendanceEntryDto[];
}

export class MinutesDto {
  @ApiProperty({ description: 'The minutes, about services and their work, never a family' })
  @IsString()
  @MinLength(1)
  @MaxLength(COORDINATION_LENGTH.minutes)
  readonly text!: string;
}

export class ApproveMinutesDto {
  @ApiProperty({ description: 'The later meeting of the same body that approved them' })
  @IsUUID()
  readonly approvedAtMeetingId!: string;
}

export class PoliticalOfficialDto {
  @ApiProperty({ example: 'Anne Lenoir' })
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.staffName)
  readonly name!: string;

  @ApiProperty({ example: 'Présidente du CPAS de Dinant' })
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.officialRole)
  readonly role!: string;

  @ApiProperty({ example: 'presidente@cpas-dinant.be' })
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly email!: string;

  @ApiPropertyOptional({ description: 'Their Relais account, if they have one' })
  @IsOptional()
  @IsUUID()
  readonly staffId?: string;
}

export class UpdatePoliticalOfficialDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.staffName)
  readonly name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(COORDINATION_LENGTH.officialRole)
  readonly role?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly email?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null unlinks the account' })
  @IsOptional()
  @IsUUID()
  readonly staffId?: string | null;
}

/**
 * An HSDS 3.0 page of organizations, as `GET /coordination/members/hsds` writes it and other tools
 * do: the page's own fields are checked here, each organization by `fromHsds`, which reads what
 * Relais takes (bounded) and leaves the rest of HSDS aside.
 */
export class HsdsPageDto {
  @ApiProperty({ description: 'HSDS 3.0 organizations, each with its locations and services' })
  @IsArray()
  @ArrayMaxSize(COORDINATION_ITEMS.hsdsOrganizations)
  @IsObject({ each: true })
  readonly contents!: Record<string, unknown>[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  readonly total_items?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  readonly total_pages?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  readonly page_number?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  readonly size?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  readonly first_page?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  readonly last_page?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  readonly empty?: boolean;
}

export class LinkProtocolDto {
  @ApiProperty({ example: 'dinant-cpas-saj', description: 'A protocol drafted from this meeting' })
  @Matches(SLUG, { message: 'protocolId must be lower-case words joined by hyphens' })
  @MaxLength(MAX_LENGTH.slug)
  readonly protocolId!: string;
}
