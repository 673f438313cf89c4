import { Controller, Get, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';
import { AuthGuard, TOKEN_VERIFIER } from './auth.guard';
import { LocalTokens } from './local-tokens';
import { OidcVerifier } from './oidc-verifier';
import type { Principal } from './principal';
import { aClosedAddress, aSigningKey, TestIdentityProvider } from './testing/identity-provider';
import { aPrincipal } from './testing/principals';
import type { TokenVerifier } from './token-verifier';

@Controller('cases')
class CasesProbeController {
  @Get('mine')
  mine(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Public()
  @Get('glossary')
  glossary(): { terms: string[] } {
    return { terms: ['cpas', 'saj'] };
  }

  @Roles('dpo', 'admin')
  @Get('access-log')
  accessLog(): { entries: string[] } {
    return { entries: [] };
  }
}

@Public()
@Controller('health')
class HealthProbeController {
  @Get('live')
  live(): { status: 'live' } {
    return { status: 'live' };
  }
}

async function anApp(verifier: TokenVerifier): Promise<INestApplication<App>> {
  const moduleRef = await Test.createTestingModule({
    controllers: [CasesProbeController, HealthProbeController],
    providers: [
      { provide: TOKEN_VERIFIER, useValue: verifier },
      { provide: APP_GUARD, useClass: AuthGuard },
    ],
  }).compile();
  const app = moduleRef.createNestApplication<INestApplication<App>>({ logger: false });
  await app.init();
  return app;
}

describe('AuthGuard with local tokens', () => {
  const secret = randomBytes(32);
  const tokens = new LocalTokens({ secret });
  const socialWorker = aPrincipal({ roles: ['social_worker'] });
  const dpo = aPrincipal({ staffId: 'staff-dpo', roles: ['dpo'], email: 'dpo@cpas-namur.be' });
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await anApp(tokens);
  });

  afterAll(() => app.close());

  async function bearer(principal: Principal, issuer = tokens): Promise<string> {
    return `Bearer ${(await issuer.issue(principal)).accessToken}`;
  }

  it('GET /health/live answers without a token on a public controller', async () => {
    const response = await request(app.getHttpServer()).get('/health/live');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'live' });
  });

  it('GET /cases/glossary answers without a token on a public route', async () => {
    const response = await request(app.getHttpServer()).get('/cases/glossary');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ terms: ['cpas', 'saj'] });
  });

  it('GET /cases/mine answers 401 without a token and asks for one', async () => {
    const response = await request(app.getHttpServer()).get('/cases/mine');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="relais"');
    expect(response.body).toMatchObject({
      statusCode: 401,
      message: 'A bearer token is required: Authorization: Bearer <token>',
    });
  });

  it('GET /cases/mine answers 401 with a bad token and says why', async () => {
    const response = await request(app.getHttpServer())
      .get('/cases/mine')
      .set('Authorization', 'Bearer not.a.token');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="relais", error="invalid_token", ' +
        'error_description="Invalid bearer token: the token is not a well-formed JWT"',
    );
    expect(response.body).toMatchObject({
      statusCode: 401,
      message: 'Invalid bearer token: the token is not a well-formed JWT',
    });
  });

  it('GET /cases/mine answers 401 with an expired token', async () => {
    const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000);
    const yesterdaysTokens = new LocalTokens({ secret, now: () => yesterday });

    const response = await request(app.getHttpServer())
      .get('/cases/mine')
      .set('Authorization', await bearer(socialWorker, yesterdaysTokens));

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(response.body).toMatchObject({ message: 'Invalid bearer token: the token has expired' });
  });

  it('GET /cases/mine answers 401 to another authentication scheme', async () => {
    const response = await request(app.getHttpServer())
      .get('/cases/mine')
      .set('Authorization', 'Basic YW5uZTpzZWNyZXQ=');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('GET /cases/mine answers 200 with a valid token and sees the principal', async () => {
    const response = await request(app.getHttpServer())
      .get('/cases/mine')
      .set('Authorization', await bearer(socialWorker));

    expect(response.status).toBe(200);
    expect(response.body).toEqual(socialWorker);
  });

  it('GET /cases/mine accepts the scheme in any case', async () => {
    const { accessToken } = await tokens.issue(socialWorker);

    const response = await request(app.getHttpServer())
      .get('/cases/mine')
      .set('Authorization', `bearer ${accessToken}`);

    expect(response.status).toBe(200);
  });

  it('GET /cases/access-log answers 403 to a principal without a listed role', async () => {
    const response = await request(app.getHttpServer())
      .get('/cases/access-log')
      .set('Authorization', await bearer(socialWorker));

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      statusCode: 403,
      message: 'This action needs one of the roles: dpo, admin',
    });
  });

  it('GET /cases/access-log answers 200 to a principal holding a listed role', async () => {
    const response = await request(app.getHttpServer())
      .get('/cases/access-log')
      .set('Authorization', await bearer(dpo));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ entries: [] });
  });

  it('GET /cases/access-log answers 401, not 403, without a token', async () => {
    const response = await request(app.getHttpServer()).get('/cases/access-log');

    expect(response.status).toBe(401);
  });
});

describe('AuthGuard with an OpenID Connect provider', () => {
  it('GET /cases/mine answers 200 to a token from the provider', async () => {
    const key = await aSigningKey('k1');
    const provider = await TestIdentityProvider.start([key]);
    const staff = aPrincipal();
    const app = await anApp(
      new OidcVerifier({
        issuer: provider.issuer,
        audience: 'relais-api',
        resolvePrincipal: (claims) =>
          Promise.resolve(claims.email === staff.email ? staff : undefined),
      }),
    );
    try {
      const response = await request(app.getHttpServer())
        .get('/cases/mine')
        .set('Authorization', `Bearer ${await provider.sign(key)}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual(staff);
    } finally {
      await app.close();
      await provider.stop();
    }
  });

  it('GET /cases/mine answers 503 while the provider cannot be reached', async () => {
    const key = await aSigningKey('k1');
    const unreachable = await aClosedAddress();
    const app = await anApp(
      new OidcVerifier({
        issuer: unreachable,
        audience: 'relais-api',
        resolvePrincipal: () => Promise.resolve(aPrincipal()),
      }),
    );
    const provider = await TestIdentityProvider.start([key]);
    try {
      const response = await request(app.getHttpServer())
        .get('/cases/mine')
        .set('Authorization', `Bearer ${await provider.sign(key, {}, { issuer: unreachable })}`);

      expect(response.status).toBe(503);
    } finally {
      await app.close();
      await provider.stop();
    }
  });
});
