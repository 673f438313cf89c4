import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty({ example: 'as@cpas-ciney.demo' })
  @IsEmail()
  readonly email!: string;

  @ApiProperty({ example: 'relais-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly password!: string;
}

export class TokenDto {
  @ApiProperty() readonly accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) readonly tokenType!: 'Bearer';
  @ApiProperty() readonly expiresAt!: string;
}
