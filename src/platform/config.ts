/**
 * Configuration: every variable yakuba reads, in one typed, validated place. Defaults fit
 * the embedded setup (PGlite in ./data, demo town). A bad value stops the process with a
 * message naming the variable. Nothing else in the code reads process.env.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The definitions shipped with yakuba, wherever the process was started from. */
const SHIPPED_PROCEDURES = fileURLToPath(new URL('../../procedures', import.meta.url));

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  /** `postgres://…` for a server; undefined for the embedded PGlite database. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Root secret (≥ 32 bytes) from which cookie, token, CSRF and field-encryption keys derive. */
  secret: string;
  /** Seed the demo town when the database is empty. Never in production. */
  demo: boolean;
  demoResidents: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  trustProxy: boolean;
  tokenTtlSeconds: number;
  sessionTtlSeconds: number;
  webhook: {
    maxAttempts: number;
    timeoutMs: number;
    pollMs: number;
    /** Whether receivers may be loopback, private or link-local hosts (and plain http). Never in production by default. */
    allowPrivateTargets: boolean;
  };
  oidc: { issuer: string; clientId: string; clientSecret: string } | undefined;
  /** Folder of the procedure definitions (`*.yaml`) and life events (`life-events/*.yaml`). */
  proceduresDir: string;
  /** Largest upload of attachments in one application request (sum of files, base64 in JSON). */
  uploadLimitBytes: number;
  mail: {
    /** `log`: write a line per mail (no address, no content) to the log; `smtp`: send through SMTP_URL. */
    transport: 'log' | 'smtp';
    smtpUrl: string | undefined;
    from: string;
    pollMs: number;
  };
  counter: {
    /** `simulated`: a card reader that reads demo cards (development, tests, the demo); `none`: no reader on the server (a desk agent posts card reads). */
    cardReader: 'simulated' | 'none';
    /** Days a pre-entry QR code stays valid. */
    preEntryDays: number;
  };
}

/** One entry per variable: the documentation table in README is kept in step with this. */
export const VARIABLES = {
  NODE_ENV: 'development | test | production (default development)',
  HOST: 'interface to listen on (default 127.0.0.1; 0.0.0.0 behind a proxy or in a container)',
  PORT: 'HTTP port (default 3000)',
  PUBLIC_URL: 'the address residents use, for OIDC redirects (default http://localhost:PORT)',
  DATABASE_URL: 'postgres://… to use a PostgreSQL server; unset uses embedded PGlite',
  YAKUBA_DATA_DIR: 'folder of the embedded database and the generated secret (default ./data)',
  YAKUBA_SECRET: 'root secret, ≥ 32 characters; required in production, else generated once into the data folder',
  YAKUBA_DEMO: 'true/false: seed the demo town みどり町 into an empty database (default true unless production)',
  YAKUBA_DEMO_RESIDENTS: 'size of the demo town (default 5000)',
  LOG_LEVEL: 'fatal|error|warn|info|debug|trace|silent (default info)',
  BODY_LIMIT_BYTES: 'largest request body accepted (default 1048576)',
  TRUST_PROXY: 'true when behind a reverse proxy that sets X-Forwarded-For (default false)',
  TOKEN_TTL_SECONDS: 'lifetime of OAuth access tokens for spokes (default 3600)',
  SESSION_TTL_SECONDS: 'lifetime of a staff or resident session (default 28800)',
  WEBHOOK_MAX_ATTEMPTS: 'deliveries tried before dead-lettering (default 8)',
  WEBHOOK_TIMEOUT_MS: 'timeout of one webhook delivery (default 5000)',
  WEBHOOK_POLL_MS: 'how often the delivery worker looks for work (default 1000)',
  WEBHOOK_ALLOW_PRIVATE_TARGETS:
    'true/false: let webhook receivers be localhost, private, link-local or CGNAT addresses, over plain http (default true unless production)',
  OIDC_ISSUER: 'issuer URL of the resident identity provider (OpenID Connect); unset hides OIDC sign-in',
  OIDC_CLIENT_ID: 'client id registered at the identity provider',
  OIDC_CLIENT_SECRET: 'client secret registered at the identity provider',
  YAKUBA_PROCEDURES_DIR: 'folder of procedure definitions and life events (default: the procedures folder shipped with yakuba)',
  UPLOAD_LIMIT_BYTES: 'largest application request with its attachments (default 26214400)',
  MAIL_TRANSPORT: 'log | smtp: how mail to residents is sent (default log: one line per mail, no address or content)',
  SMTP_URL: 'smtp://user:pass@host:587 or smtps://… when MAIL_TRANSPORT=smtp',
  MAIL_FROM: 'sender address of mail to residents (default no-reply@localhost)',
  MAIL_POLL_MS: 'how often the mail worker looks for mail to send (default 1000)',
  COUNTER_CARD_READER: 'simulated | none: the My Number card reader the counter screen uses (default simulated unless production; a desk agent can post reads instead)',
  PRE_ENTRY_DAYS: 'days a pre-entry QR code for the counter stays valid (default 14)',
} as const;

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(env: Env, name: keyof typeof VARIABLES, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

function bool(env: Env, name: keyof typeof VARIABLES, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

function oneOf<T extends string>(env: Env, name: keyof typeof VARIABLES, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

/** Reads the secret from the environment, or (outside production) from / into the data folder. */
function loadSecret(env: Env, nodeEnv: Config['env'], dataDir: string): string {
  const given = env.YAKUBA_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('YAKUBA_SECRET must be at least 32 characters');
    return given;
  }
  if (nodeEnv === 'production') throw new ConfigError('YAKUBA_SECRET is required in production');
  if (nodeEnv === 'test') return 'test-secret-test-secret-test-secret-0123456789';
  // Development: generated once and kept in the data folder, so sessions and encrypted
  // fields survive a restart (also with DATABASE_URL; several processes need YAKUBA_SECRET).
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const dataDir = resolve(env.YAKUBA_DATA_DIR || './data');
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL (got "${publicUrl}")`);
  }
  const demo = bool(env, 'YAKUBA_DEMO', nodeEnv !== 'production');
  if (demo && nodeEnv === 'production') throw new ConfigError('YAKUBA_DEMO cannot be true in production');
  const issuer = env.OIDC_ISSUER || undefined;
  let oidc: Config['oidc'];
  if (issuer) {
    if (!env.OIDC_CLIENT_ID) throw new ConfigError('OIDC_CLIENT_ID is required when OIDC_ISSUER is set');
    oidc = { issuer, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET ?? '' };
  }
  const mailTransport = oneOf(env, 'MAIL_TRANSPORT', ['log', 'smtp'] as const, 'log');
  const smtpUrl = env.SMTP_URL || undefined;
  if (mailTransport === 'smtp' && !smtpUrl) throw new ConfigError('SMTP_URL is required when MAIL_TRANSPORT=smtp');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  return {
    env: nodeEnv,
    host: env.HOST || '127.0.0.1',
    port,
    publicUrl,
    databaseUrl,
    dataDir,
    secret: loadSecret(env, nodeEnv, dataDir),
    demo,
    demoResidents: int(env, 'YAKUBA_DEMO_RESIDENTS', 5000, 10, 2_000_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    tokenTtlSeconds: int(env, 'TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 28_800, 300, 604_800),
    webhook: {
      maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
      pollMs: int(env, 'WEBHOOK_POLL_MS', 1000, 10, 60_000),
      allowPrivateTargets: bool(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', nodeEnv !== 'production'),
    },
    oidc,
    proceduresDir: env.YAKUBA_PROCEDURES_DIR ? resolve(env.YAKUBA_PROCEDURES_DIR) : SHIPPED_PROCEDURES,
    uploadLimitBytes: int(env, 'UPLOAD_LIMIT_BYTES', 26_214_400, 1024, 200 * 1_048_576),
    mail: {
      transport: mailTransport,
      smtpUrl,
      from: env.MAIL_FROM || 'no-reply@localhost',
      pollMs: int(env, 'MAIL_POLL_MS', 1000, 10, 60_000),
    },
    counter: {
      cardReader: oneOf(env, 'COUNTER_CARD_READER', ['simulated', 'none'] as const, nodeEnv === 'production' ? 'none' : 'simulated'),
      preEntryDays: int(env, 'PRE_ENTRY_DAYS', 14, 1, 90),
    },
  };
}
