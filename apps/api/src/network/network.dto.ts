import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind, STAFF_ROLES, StaffRole } from '@relais/domain';
import { IsBelgianPhone, IsCalendarDate } from '@relais/platform';
import { MAX_ITEMS, MAX_LENGTH } from '@relais/wire';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class TerritoryDto {
  @ApiProperty({ enum: ['communes', 'arrondissements'] })
  @IsIn(['communes', 'arrondissements'])
  readonly kind!: 'communes' | 'arrondissements';

  @ApiPropertyOptional({ example: ['91030'], description: 'INS codes, for kind communes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.communes)
  @MaxLength(MAX_LENGTH.ins, { each: true, message: 'each commune must be a 5-digit INS code' })
  @Matches(/^\d{5}$/, { each: true, message: 'each commune must be a 5-digit INS code' })
  readonly communes?: string[];

  @ApiPropertyOptional({ example: ['dinant'], description: 'for kind arrondissements' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.arrondissements)
  @MaxLength(MAX_LENGTH.slug, { each: true })
  @Matches(SLUG, { each: true })
  readonly arrondissements?: string[];
}

export class RegisterOrganisationDto {
  @ApiProperty({ example: 'asbl-le-relais' })
  @Matches(SLUG, { message: 'id must be lower-case words joined by hyphens' })
  @MaxLength(MAX_LENGTH.slug)
  readonly id!: string;

  @ApiProperty({ example: 'ASBL Le Relais' })
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.organisationName)
  readonly name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  readonly kind!: OrganisationKind;

  @ApiProperty({ type: TerritoryDto })
  @ValidateNested()
  @Type(() => TerritoryDto)
  readonly territory!: TerritoryDto;

  @ApiProperty({ example: 'contact@le-relais.be' })
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly contactEmail!: string;

  @ApiPropertyOptional({ example: ['2026-12-24'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.closureDays)
  @IsCalendarDate({ each: true })
  readonly closureDays?: string[];
}

export class RegisterStaffDto {
  @ApiProperty({ example: 'cpas-ciney' })
  @Matches(SLUG)
  @MaxLength(MAX_LENGTH.slug)
  readonly organisationId!: string;

  @ApiProperty({ example: 'Claire Martin' })
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.staffName)
  readonly name!: string;

  @ApiProperty({ example: 'claire.martin@cpas-ciney.be' })
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly email!: string;

  @ApiProperty({ enum: STAFF_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS.roles)
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  readonly roles!: StaffRole[];

  @ApiPropertyOptional({ description: 'For a local account; at least 10 characters' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(MAX_LENGTH.password)
  readonly password?: string;

  @ApiPropertyOptional({
    example: '081 23 45 67',
    description: 'Professional phone, Belgian; kept as +32…',
  })
  @IsOptional()
  @MaxLength(MAX_LENGTH.phone)
  @IsBelgianPhone()
  readonly phone?: string;
}

export class UpdateOrganisationDto {
  @ApiPropertyOptional({ example: 'ASBL Le Relais' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.organisationName)
  readonly name?: string;

  @ApiPropertyOptional({ example: 'contact@le-relais.be' })
  @IsOptional()
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly contactEmail?: string;

  @ApiPropertyOptional({ example: ['2026-12-24'], description: 'replaces the list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS.closureDays)
  @IsCalendarDate({ each: true })
  readonly closureDays?: string[];
}

export class UpdateStaffDto {
  @ApiPropertyOptional({ example: 'Claire Martin' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(MAX_LENGTH.staffName)
  readonly name?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES, isArray: true, description: 'replaces the roles' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(STAFF_ROLES.length)
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  readonly roles?: StaffRole[];

  @ApiPropertyOptional({
    example: '+32 470 12 34 56',
    nullable: true,
    description: 'Professional phone, Belgian; null removes it',
  })
  @IsOptional()
  @MaxLength(MAX_LENGTH.phone)
  @IsBelgianPhone()
  readonly phone?: string | null;
}
