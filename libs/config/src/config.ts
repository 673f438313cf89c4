import { resolve } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export interface RelaisConfig {
  /** Absent: Relais starts its own embedded PostgreSQL in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Absent: the embedded server takes a free port. */
  readonly embeddedPostgresPort: number | undefined;
  readonly databasePoolMax: number;
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly processorPollIntervalMs: number;
  readonly processorLockRetryMs: number;
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

/** Reads and validates the whole configuration once, at start-up; the first bad value stops it. */
export function loadConfig(env: Env = process.env): RelaisConfig {
  return {
    databaseUrl: postgresUrl(env, 'DATABASE_URL'),
    dataDir: resolve(optional(env, 'RELAIS_DATA_DIR') ?? '.relais/data'),
    embeddedPostgresPort: integer(env, 'RELAIS_EMBEDDED_PG_PORT', undefined, 1024, 65535),
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10, 2, 500) ?? 10,
    host: optional(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535) ?? 3000,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
    processorPollIntervalMs: integer(env, 'RELAIS_POLL_INTERVAL_MS', 1000, 10, 60000) ?? 1000,
    processorLockRetryMs: integer(env, 'RELAIS_LOCK_RETRY_MS', 1000, 50, 60000) ?? 1000,
  };
}
