import { ApiProperty } from '@nestjs/swagger';
import { MAX_LENGTH, type TokenAnswer } from '@relais/wire';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty({ example: 'as@cpas-ciney.demo' })
  @IsEmail()
  @MaxLength(MAX_LENGTH.email)
  readonly email!: string;

  @ApiProperty({ example: 'relais-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_LENGTH.password)
  readonly password!: string;
}

export class TokenDto implements TokenAnswer {
  @ApiProperty() readonly accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) readonly tokenType!: 'Bearer';
  @ApiProperty() readonly expiresAt!: string;
}
