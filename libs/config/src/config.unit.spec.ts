import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./.relais/data on 127.0.0.1:3000', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: undefined,
      eventStore: { kind: 'postgres' },
      dataDir: resolve('.relais/data'),
      embeddedPostgresPort: undefined,
      databasePoolMax: 10,
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'log',
      processorPollIntervalMs: 1000,
      processorLockRetryMs: 1000,
      vaultKey: undefined,
      vaultOrphanGraceSeconds: 300,
      vaultKeyFile: undefined,
      vaultKeyring: resolve('.relais/data-keys'),
      vaultRotationHours: 24,
      tokenSecret: undefined,
      metricsToken: undefined,
      logFormat: 'text',
      oidc: undefined,
      tracing: { enabled: false },
      seedDemo: 'auto',
      demoPassword: 'relais-demo',
      smtpUrl: undefined,
      mailFrom: 'Relais <relais@localhost>',
      deliveryConcurrency: { email: 4, webhook: 8 },
      publicUrl: 'http://127.0.0.1:3000',
      webhookAllow: { hosts: [], networks: [] },
    });
  });

  it('keeps tracing off unless the OTEL_* variables switch it on, and off when they say so', () => {
    const tracing = (env: Record<string, string>) => loadConfig(env).tracing;
    expect(tracing({ OTEL_SERVICE_NAME: 'relais-ciney' })).toEqual({ enabled: false });
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      enabled: true,
      exporter: 'otlp',
      url: 'http://collector:4318/v1/traces',
      serviceName: 'relais',
    });
    expect(
      tracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest',
        OTEL_SERVICE_NAME: 'relais-ciney',
      }),
    ).toMatchObject({ url: 'https://traces.example/ingest', serviceName: 'relais-ciney' });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ exporter: 'console' });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ url: undefined });
    expect(
      tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toEqual({ enabled: false });
    expect(
      tracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_TRACES_EXPORTER: 'none',
      }),
    ).toEqual({ enabled: false });
    expect(() => tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });

  it('reads the webhook allow-list: host names, addresses and networks', () => {
    expect(
      loadConfig({
        RELAIS_WEBHOOK_ALLOW: ' Hooks.Intranet ,127.0.0.1, 10.20.0.0/16,[::1],fd00::/8',
      }).webhookAllow,
    ).toEqual({
      hosts: ['hooks.intranet'],
      networks: [
        { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { address: '10.20.0.0', prefix: 16, family: 'ipv4' },
        { address: '::1', prefix: 128, family: 'ipv6' },
        { address: 'fd00::', prefix: 8, family: 'ipv6' },
      ],
    });
  });

  it('selects OpenID Connect when an issuer and an audience are given', () => {
    expect(
      loadConfig({
        OIDC_ISSUER: 'https://login.example.be/realms/relais',
        OIDC_AUDIENCE: 'relais-api',
      }).oidc,
    ).toEqual({
      issuer: 'https://login.example.be/realms/relais',
      audience: 'relais-api',
      jwksUrl: undefined,
    });
  });

  const server = {
    DATABASE_URL: 'postgresql://relais:secret@db:5432/relais',
    RELAIS_VAULT_KEY: 'q'.repeat(43) + '=',
    RELAIS_VAULT_KEYRING: '/srv/relais-keys',
    RELAIS_TOKEN_SECRET: 't'.repeat(32),
  };

  it('needs shared keys and a shared keyring when the database is a server', () => {
    const { DATABASE_URL, RELAIS_VAULT_KEY, RELAIS_VAULT_KEYRING } = server;
    expect(() => loadConfig({ DATABASE_URL })).toThrow(
      /RELAIS_VAULT_KEY or RELAIS_VAULT_KEY_FILE must be set when DATABASE_URL is/,
    );
    expect(() => loadConfig({ DATABASE_URL, RELAIS_VAULT_KEY })).toThrow(
      /RELAIS_VAULT_KEYRING must be set when DATABASE_URL is/,
    );
    expect(() => loadConfig({ DATABASE_URL, RELAIS_VAULT_KEY, RELAIS_VAULT_KEYRING })).toThrow(
      /RELAIS_TOKEN_SECRET must be set/,
    );
    expect(loadConfig(server)).toMatchObject({
      databaseUrl: DATABASE_URL,
      vaultKeyring: '/srv/relais-keys',
    });
  });

  it('reads the master key from a file instead, never from both', () => {
    const { RELAIS_VAULT_KEY, ...withoutKey } = server;
    const config = loadConfig({ ...withoutKey, RELAIS_VAULT_KEY_FILE: '/run/secrets/vault-key' });
    expect(config).toMatchObject({ vaultKey: undefined, vaultKeyFile: '/run/secrets/vault-key' });
    expect(() =>
      loadConfig({ ...withoutKey, RELAIS_VAULT_KEY, RELAIS_VAULT_KEY_FILE: '/run/secrets/k' }),
    ).toThrow(/RELAIS_VAULT_KEY_FILE must not be set when RELAIS_VAULT_KEY is/);
  });

  it('keeps the keyring beside the data folder by default, and never inside or around it', () => {
    expect(loadConfig({ RELAIS_DATA_DIR: '/var/lib/relais' }).vaultKeyring).toBe(
      '/var/lib/relais-keys',
    );
    for (const keyring of ['/var/lib/relais/keys', '/var/lib/relais', '/var/lib']) {
      expect(() =>
        loadConfig({ RELAIS_DATA_DIR: '/var/lib/relais', RELAIS_VAULT_KEYRING: keyring }),
      ).toThrow(/RELAIS_VAULT_KEYRING must be outside RELAIS_DATA_DIR \(\/var\/lib\/relais\)/);
    }
    expect(() =>
      loadConfig({
        RELAIS_DATA_DIR: '/var/lib/relais',
        RELAIS_VAULT_KEY_FILE: '/var/lib/relais/vault.key',
      }),
    ).toThrow(/RELAIS_VAULT_KEY_FILE must be outside RELAIS_DATA_DIR/);
    expect(
      loadConfig({ RELAIS_DATA_DIR: '/var/lib/relais', RELAIS_VAULT_KEYRING: '/var/lib/relais2' })
        .vaultKeyring,
    ).toBe('/var/lib/relais2');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...server,
      RELAIS_DATA_DIR: '/var/lib/relais',
      RELAIS_EMBEDDED_PG_PORT: '54329',
      DATABASE_POOL_MAX: '20',
      HOST: '0.0.0.0',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      RELAIS_POLL_INTERVAL_MS: '250',
      RELAIS_LOCK_RETRY_MS: '500',
      RELAIS_EMAIL_CONCURRENCY: '16',
      RELAIS_WEBHOOK_CONCURRENCY: '2',
      RELAIS_VAULT_ROTATION_HOURS: '6',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://relais:secret@db:5432/relais',
      dataDir: '/var/lib/relais',
      embeddedPostgresPort: 54329,
      databasePoolMax: 20,
      host: '0.0.0.0',
      port: 8080,
      logLevel: 'debug',
      processorPollIntervalMs: 250,
      processorLockRetryMs: 500,
      deliveryConcurrency: { email: 16, webhook: 2 },
      vaultKeyring: '/srv/relais-keys',
      vaultRotationHours: 6,
    });
  });

  it.each([
    ['DATABASE_URL', 'mysql://db/relais', /DATABASE_URL must use the postgres:\/\/ scheme/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL must be a URL/],
    ['PORT', 'eighty', /PORT must be a whole number, got "eighty"/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['DATABASE_POOL_MAX', '1', /DATABASE_POOL_MAX must be between 2 and 500/],
    ['RELAIS_EMBEDDED_PG_PORT', '80', /RELAIS_EMBEDDED_PG_PORT must be between 1024/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of error, warn, log, debug, verbose/],
    ['RELAIS_POLL_INTERVAL_MS', '-5', /RELAIS_POLL_INTERVAL_MS must be a whole number/],
    ['RELAIS_TOKEN_SECRET', 'short', /RELAIS_TOKEN_SECRET must be at least 32 characters/],
    ['OIDC_ISSUER', 'not a url', /OIDC_ISSUER must be the URL/],
    ['OIDC_AUDIENCE', 'relais', /OIDC_ISSUER must be set when OIDC_AUDIENCE is/],
    ['RELAIS_EMAIL_CONCURRENCY', '0', /RELAIS_EMAIL_CONCURRENCY must be between 1 and 100/],
    ['RELAIS_WEBHOOK_CONCURRENCY', 'many', /RELAIS_WEBHOOK_CONCURRENCY must be a whole number/],
    ['SMTP_URL', 'http://mail', /SMTP_URL must use smtp: or smtps:/],
    ['PUBLIC_URL', 'relais.example.be', /PUBLIC_URL must be a URL/],
    ['RELAIS_SEED_DEMO', 'sometimes', /RELAIS_SEED_DEMO must be one of auto, always, never/],
    ['RELAIS_WEBHOOK_ALLOW', '10.0.0.0/33', /RELAIS_WEBHOOK_ALLOW has a bad network prefix/],
    ['RELAIS_WEBHOOK_ALLOW', 'hooks.intranet/8', /RELAIS_WEBHOOK_ALLOW must list host names/],
    ['RELAIS_WEBHOOK_ALLOW', 'https://hooks', /RELAIS_WEBHOOK_ALLOW must list host names/],
    ['RELAIS_VAULT_ROTATION_HOURS', '0', /RELAIS_VAULT_ROTATION_HOURS must be between 1 and 8760/],
    ['RELAIS_EVENT_STORE', 'eventstoredb', /RELAIS_EVENT_STORE must be one of postgres, kurrentdb/],
  ])('refuses %s=%s, naming the variable', (variable, value, message) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('keeps the events in PostgreSQL unless RELAIS_EVENT_STORE names KurrentDB, which needs its URL', () => {
    const url = 'kurrentdb://admin:changeit@db1:2113,db2:2113,db3:2113?tls=true';
    expect(loadConfig({ KURRENTDB_URL: url }).eventStore).toEqual({ kind: 'postgres' });
    expect(loadConfig({ RELAIS_EVENT_STORE: 'postgres' }).eventStore).toEqual({ kind: 'postgres' });
    expect(loadConfig({ RELAIS_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url }).eventStore).toEqual({
      kind: 'kurrentdb',
      url,
    });
    for (const accepted of [
      'esdb://localhost:2113?tls=false',
      'kurrentdb+discover://cluster.dns:2113',
    ]) {
      expect(
        loadConfig({ RELAIS_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: accepted }).eventStore,
      ).toEqual({ kind: 'kurrentdb', url: accepted });
    }
    expect(() => loadConfig({ RELAIS_EVENT_STORE: 'kurrentdb' })).toThrow(
      'Invalid configuration: KURRENTDB_URL must be set when RELAIS_EVENT_STORE is kurrentdb',
    );
  });

  it.each(['postgres://relais:s3cret@db:5432/relais', 'localhost:2113', 'http://db:2113'])(
    'refuses KURRENTDB_URL=%s for KurrentDB, naming the variable and not the password',
    (value) => {
      const attempt = () => loadConfig({ RELAIS_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        /^Invalid configuration: KURRENTDB_URL must be a KurrentDB connection string/,
      );
      expect(attempt).not.toThrow(/s3cret/);
    },
  );
});
