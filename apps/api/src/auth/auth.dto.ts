import { ApiProperty } from '@nestjs/swagger';
import { MAX_LENGTH, type ProviderReturn, type TokenAnswer } from '@relais/wire';
import { IsEmail, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';

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

/** RFC 7636: 43 to 128 characters of the unreserved set. */
const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export class ProviderReturnDto implements ProviderReturn {
  @ApiProperty({ description: 'The authorization code the provider sent back' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  readonly code!: string;

  @ApiProperty({ description: 'The PKCE verifier of the S256 challenge sent with the request' })
  @MaxLength(128)
  @Matches(PKCE_VERIFIER)
  readonly codeVerifier!: string;

  @ApiProperty({ example: 'https://relais.example.be/auth/callback' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2048)
  readonly redirectUri!: string;

  @ApiProperty({ description: 'The nonce the authorization request carried' })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  readonly nonce!: string;
}
