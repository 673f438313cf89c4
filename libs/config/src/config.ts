import { isIP } from 'node:net';
import { isAbsolute, relative, resolve } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** What the standard `OTEL_*` variables ask of Relais's tracing. */
export type TracingSettings =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly exporter: 'otlp' | 'console';
      /** The OTLP/HTTP traces address; absent: the exporter's default (localhost:4318). */
      readonly url: string | undefined;
      readonly serviceName: string;
    };

/**
 * Tracing is off by default. It is on when `OTEL_TRACES_EXPORTER` names `otlp` or `console`, or
 * when an OTLP endpoint is given (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
 * then the exporter is OTLP over HTTP); `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`
 * keep it off whatever else is set. The exporter reads the rest of its settings (headers,
 * timeout, protocol path) from the same variables.
 */
export function tracingSettings(env: Env): TracingSettings {
  if (optional(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { enabled: false };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (exporters.includes('none')) return { enabled: false };
  const tracesEndpoint = url(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']);
  const baseEndpoint = url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const endpoint =
    tracesEndpoint ?? (baseEndpoint === undefined ? undefined : `${baseEndpoint}/v1/traces`);
  const exporter = exporters.includes('otlp')
    ? 'otlp'
    : exporters.includes('console')
      ? 'console'
      : endpoint !== undefined
        ? 'otlp'
        : undefined;
  if (exporter === undefined) return { enabled: false };
  return {
    enabled: true,
    exporter,
    url: endpoint,
    serviceName: optional(env, 'OTEL_SERVICE_NAME') ?? 'relais',
  };
}

/** Where the events are kept: PostgreSQL (the default), or a KurrentDB server or cluster. */
export type EventStoreSettings =
  | { readonly kind: 'postgres' }
  | {
      readonly kind: 'kurrentdb';
      /** A KurrentDB connection string: `kurrentdb://host:2113?tls=false`, `esdb+discover://…`. */
      readonly url: string;
    };

export interface RelaisConfig {
  /** Absent: Relais starts its own embedded PostgreSQL in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Read models, the outbox and checkpoints stay in PostgreSQL whichever store holds the events. */
  readonly eventStore: EventStoreSettings;
  readonly dataDir: string;
  /** Absent: the embedded server takes a free port. */
  readonly embeddedPostgresPort: number | undefined;
  readonly databasePoolMax: number;
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  /** `text` for a terminal, `json` (one object per line, with the request id) for a log collector. */
  readonly logFormat: 'text' | 'json';
  readonly processorPollIntervalMs: number;
  readonly processorLockRetryMs: number;
  /** Base64 32-byte master key of the vault; absent: from `vaultKeyFile`, else `<vaultKeyring>/vault.key`, made on first start. */
  readonly vaultKey: string | undefined;
  /** Personal data no case refers to is erased once it is this old (a crash mid-opening left it). */
  readonly vaultOrphanGraceSeconds: number;
  /** A file holding the master key in base64: a mounted secret. */
  readonly vaultKeyFile: string | undefined;
  /** Folder of the vault's key epochs, outside the data folder and outside PostgreSQL; shared by every process. */
  readonly vaultKeyring: string;
  /** Hours between scheduled rotations of the key epoch; each erasure rotates too. */
  readonly vaultRotationHours: number;
  /** Secret signing local bearer tokens; absent: `<dataDir>/token.key`, made on first start. */
  readonly tokenSecret: string | undefined;
  /** Set: `GET /metrics` answers a scraper holding it as a bearer token; absent: no metrics route. */
  readonly metricsToken: string | undefined;
  /** OpenTelemetry tracing, off unless the standard `OTEL_*` variables switch it on. */
  readonly tracing: TracingSettings;
  /** Set: bearer tokens come from this OpenID Connect provider instead of local accounts. */
  readonly oidc:
    | {
        readonly issuer: string;
        readonly audience: string;
        readonly jwksUrl: string | undefined;
        /** Set: the login page signs people in at this provider (code flow with PKCE). */
        readonly clientId: string | undefined;
      }
    | undefined;
  /** Seed the demo network on an empty database: `auto` (only on the embedded one), `always`, `never`. */
  readonly seedDemo: 'auto' | 'always' | 'never';
  readonly demoPassword: string;
  /** Absent: e-mails wait in the outbox until a server is configured. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Sends in flight at once per channel in each worker; for e-mail, the SMTP connections held open. */
  readonly deliveryConcurrency: { readonly email: number; readonly webhook: number };
  /** Where people reach Relais, for links in e-mails. */
  readonly publicUrl: string;
  /** Internal hosts and networks that may receive webhooks all the same (tests, on-premises). */
  readonly webhookAllow: {
    readonly hosts: readonly string[];
    readonly networks: readonly {
      readonly address: string;
      readonly prefix: number;
      readonly family: 'ipv4' | 'ipv6';
    }[];
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number | undefined, min: number, max: number) {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function postgresUrl(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL such as postgres://user:password@host:5432/relais');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `must use the postgres:// scheme, got "${url.protocol}"`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const found = values.find((v) => v === raw);
  if (found === undefined)
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return found;
}

/**
 * Whether this deployment is the demo: it seeds the demo network on an empty store (`always`, or
 * `auto` on the embedded database). Outside it, the demo password is refused for any account.
 */
export function isDemo(config: Pick<RelaisConfig, 'seedDemo' | 'databaseUrl'>): boolean {
  return (
    config.seedDemo === 'always' || (config.seedDemo === 'auto' && config.databaseUrl === undefined)
  );
}

/** Reads and validates the whole configuration once, at start-up; the first bad value stops it. */
export function loadConfig(env: Env = process.env): RelaisConfig {
  const config = readConfig(env);
  // Keys in a local file suit one machine; replicas on a shared server must all hold the same.
  if (
    config.databaseUrl !== undefined &&
    config.vaultKey === undefined &&
    config.vaultKeyFile === undefined
  ) {
    throw new ConfigError(
      'RELAIS_VAULT_KEY',
      'or RELAIS_VAULT_KEY_FILE must be set when DATABASE_URL is (every process needs the same key)',
    );
  }
  // A keyring lost with a container takes every person's data with it.
  if (config.databaseUrl !== undefined && optional(env, 'RELAIS_VAULT_KEYRING') === undefined) {
    throw new ConfigError(
      'RELAIS_VAULT_KEYRING',
      'must be set when DATABASE_URL is (a folder on lasting storage that every process shares)',
    );
  }
  if (config.vaultKey !== undefined && config.vaultKeyFile !== undefined) {
    throw new ConfigError('RELAIS_VAULT_KEY_FILE', 'must not be set when RELAIS_VAULT_KEY is');
  }
  // A copy of the data folder must not carry the keys that open it.
  if (overlaps(config.vaultKeyring, config.dataDir)) {
    throw new ConfigError(
      'RELAIS_VAULT_KEYRING',
      `must be outside RELAIS_DATA_DIR (${config.dataDir}), and not hold it`,
    );
  }
  if (config.vaultKeyFile !== undefined && overlaps(config.vaultKeyFile, config.dataDir)) {
    throw new ConfigError(
      'RELAIS_VAULT_KEY_FILE',
      `must be outside RELAIS_DATA_DIR (${config.dataDir})`,
    );
  }
  if (
    config.databaseUrl !== undefined &&
    config.oidc === undefined &&
    config.tokenSecret === undefined
  ) {
    throw new ConfigError(
      'RELAIS_TOKEN_SECRET',
      'must be set when DATABASE_URL is, unless OIDC_ISSUER is',
    );
  }
  return config;
}

/** One folder inside the other, or the same. */
function overlaps(a: string, b: string): boolean {
  const inside = (child: string, parent: string) => {
    const path = relative(parent, child);
    return path === '' || (!path.startsWith('..') && !isAbsolute(path));
  };
  return inside(a, b) || inside(b, a);
}

function readConfig(env: Env): RelaisConfig {
  const dataDir = resolve(optional(env, 'RELAIS_DATA_DIR') ?? '.relais/data');
  const vaultKeyFile = optional(env, 'RELAIS_VAULT_KEY_FILE');
  return {
    databaseUrl: postgresUrl(env, 'DATABASE_URL'),
    eventStore: eventStore(env),
    dataDir,
    embeddedPostgresPort: integer(env, 'RELAIS_EMBEDDED_PG_PORT', undefined, 1024, 65535),
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10, 2, 500) ?? 10,
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535) ?? 3000,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['text', 'json'] as const, 'text'),
    processorPollIntervalMs: integer(env, 'RELAIS_POLL_INTERVAL_MS', 1000, 10, 60000) ?? 1000,
    processorLockRetryMs: integer(env, 'RELAIS_LOCK_RETRY_MS', 1000, 50, 60000) ?? 1000,
    vaultKey: optional(env, 'RELAIS_VAULT_KEY'),
    vaultOrphanGraceSeconds:
      integer(env, 'RELAIS_VAULT_ORPHAN_GRACE_SECONDS', 300, 1, 86400) ?? 300,
    vaultKeyFile: vaultKeyFile === undefined ? undefined : resolve(vaultKeyFile),
    vaultKeyring: resolve(optional(env, 'RELAIS_VAULT_KEYRING') ?? `${dataDir}-keys`),
    vaultRotationHours: integer(env, 'RELAIS_VAULT_ROTATION_HOURS', 24, 1, 8760) ?? 24,
    tokenSecret: secret(env, 'RELAIS_TOKEN_SECRET'),
    metricsToken: secret(env, 'RELAIS_METRICS_TOKEN'),
    oidc: oidc(env),
    tracing: tracingSettings(env),
    seedDemo: oneOf(env, 'RELAIS_SEED_DEMO', ['auto', 'always', 'never'] as const, 'auto'),
    demoPassword: optional(env, 'RELAIS_DEMO_PASSWORD') ?? 'relais-demo',
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: optional(env, 'MAIL_FROM') ?? 'Relais <relais@localhost>',
    deliveryConcurrency: {
      email: integer(env, 'RELAIS_EMAIL_CONCURRENCY', 4, 1, 100) ?? 4,
      webhook: integer(env, 'RELAIS_WEBHOOK_CONCURRENCY', 8, 1, 100) ?? 8,
    },
    publicUrl:
      url(env, 'PUBLIC_URL', ['http:', 'https:']) ??
      `http://127.0.0.1:${optional(env, 'PORT') ?? '3000'}`,
    webhookAllow: allowList(env, 'RELAIS_WEBHOOK_ALLOW'),
  };
}

const KURRENTDB_SCHEMES = ['kurrentdb', 'kurrent', 'kdb', 'esdb'].flatMap((scheme) => [
  scheme,
  `${scheme}+discover`,
]);

/** `KURRENTDB_URL` is read only when `RELAIS_EVENT_STORE` asks for KurrentDB, and required then. */
function eventStore(env: Env): EventStoreSettings {
  const kind = oneOf(env, 'RELAIS_EVENT_STORE', ['postgres', 'kurrentdb'] as const, 'postgres');
  if (kind === 'postgres') return { kind };
  const url = optional(env, 'KURRENTDB_URL');
  if (url === undefined)
    throw new ConfigError('KURRENTDB_URL', 'must be set when RELAIS_EVENT_STORE is kurrentdb');
  // A cluster's string lists several hosts, which URL() does not parse; the scheme is checked
  // here, the rest by the client when it connects. The value may hold a password: not echoed.
  const scheme = /^([a-z+]+):\/\/[^\s/]+/.exec(url)?.[1];
  if (scheme === undefined || !KURRENTDB_SCHEMES.includes(scheme)) {
    throw new ConfigError(
      'KURRENTDB_URL',
      'must be a KurrentDB connection string such as kurrentdb://localhost:2113?tls=false',
    );
  }
  return { kind, url };
}

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Comma-separated host names, IP addresses and CIDR networks: `hooks.intranet,10.1.0.0/16,::1`. */
function allowList(env: Env, name: string): RelaisConfig['webhookAllow'] {
  const hosts: string[] = [];
  const networks: RelaisConfig['webhookAllow']['networks'][number][] = [];
  for (const raw of (optional(env, name) ?? '').split(',')) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (entry === '') continue;
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version !== 0 && rest.length === 0) {
      const bits = version === 4 ? 32 : 128;
      const length = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!(length >= 0 && length <= bits))
        throw new ConfigError(name, `has a bad network prefix in "${raw.trim()}"`);
      networks.push({ address, prefix: length, family: version === 4 ? 'ipv4' : 'ipv6' });
    } else if (prefix === undefined && HOST_NAME.test(entry)) {
      hosts.push(entry);
    } else {
      throw new ConfigError(
        name,
        `must list host names, IP addresses or networks (10.0.0.0/8), got "${raw.trim()}"`,
      );
    }
  }
  return { hosts, networks };
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')}), got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  return raw.replace(/\/$/, '');
}

function secret(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw !== undefined && raw.length < 32)
    throw new ConfigError(name, 'must be at least 32 characters long');
  return raw;
}

function oidc(env: Env): RelaisConfig['oidc'] {
  const issuer = optional(env, 'OIDC_ISSUER');
  const audience = optional(env, 'OIDC_AUDIENCE');
  if (issuer === undefined) {
    if (optional(env, 'OIDC_CLIENT_ID') !== undefined)
      throw new ConfigError('OIDC_ISSUER', 'must be set when OIDC_CLIENT_ID is');
    if (audience !== undefined)
      throw new ConfigError('OIDC_ISSUER', 'must be set when OIDC_AUDIENCE is');
    return undefined;
  }
  try {
    new URL(issuer);
  } catch {
    throw new ConfigError('OIDC_ISSUER', 'must be the URL of the identity provider');
  }
  if (audience === undefined)
    throw new ConfigError('OIDC_AUDIENCE', 'must be set when OIDC_ISSUER is');
  return {
    issuer,
    audience,
    jwksUrl: optional(env, 'OIDC_JWKS_URL'),
    clientId: optional(env, 'OIDC_CLIENT_ID'),
  };
}
