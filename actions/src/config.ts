import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { LevelWithSilent } from 'pino';
import { z } from 'zod';
import { type AuthConfig, loadAuthConfig } from './auth/auth-config.js';
import { owaspPasswordHashing, type PasswordHashOptions } from './auth/password.js';
import { type EncryptionKey, parseEncryptionKeys } from './crypto/secret-box.js';
import { loadPluginsConfig, type PluginsConfig } from './plugins/plugin-config.js';
import { loadTenancyConfig, type TenancyConfig } from './tenants/tenant-config.js';

/** Settings of the action server, read once from the environment by `loadActionsConfig`. */
export interface ActionsConfig {
  databaseUrl: string;
  host: string;
  /** TCP port to listen on; 0 picks a free one. */
  port: number;
  /** Value that every action request must carry in the `x-acci-action-secret` header. */
  actionSecret: string;
  jwt: {
    /** RSA private key that signs access tokens with RS256. */
    privateKey: KeyObject;
    issuer: string;
    audience: string | undefined;
  };
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Absolute lifetime of a session, counted from sign-in; no refresh extends it. */
  sessionTtlSeconds: number;
  logLevel: LevelWithSilent;
  /** argon2id parameters of new hashes. Not read from the environment, so only tests lower it. */
  passwordHashing: PasswordHashOptions;
  /** Refresh, lockout, rate limits, account mail and API keys. */
  auth: AuthConfig;
  /** Tenant sign-up, trial and deletion settings. */
  tenancy: TenancyConfig;
  /** Plugin discovery, delivery and credential settings. */
  plugins: PluginsConfig;
  /** AES-256-GCM keys for secrets at rest; the first encrypts. Empty when none is configured. */
  encryptionKeys: EncryptionKey[];
  /** HTTP gateway that sends MFA codes by SMS, or undefined when SMS is not configured. */
  smsGateway: { url: string; token: string | undefined } | undefined;
  /** Minimum time between two directory checks of a directory user on refresh. */
  ldapRecheckSeconds: number;
}

/** Requirement of each variable, as the error for a bad value states it. */
const requirements = {
  DATABASE_URL: 'a PostgreSQL connection string such as postgres://user:password@127.0.0.1/acci',
  ACTIONS_PORT: 'a TCP port from 0 to 65535, where 0 picks a free port',
  ACTIONS_HOST: 'a host name or IP address to listen on, such as 127.0.0.1',
  ACTION_SECRET: 'a shared secret of at least 32 characters, the same that Hasura sends',
  ACCI_JWT_PRIVATE_KEY:
    'an unencrypted RSA private key of at least 2048 bits in PEM PKCS#8 form ' +
    '("-----BEGIN PRIVATE KEY-----")',
  ACCI_JWT_ISSUER: 'the "iss" claim of access tokens, for example acci',
  ACCI_JWT_AUDIENCE: 'the "aud" claim of access tokens, or nothing to leave it out',
  ACCESS_TOKEN_TTL_SECONDS: 'a whole number of seconds from 1 to 86400',
  REFRESH_TOKEN_TTL_SECONDS: 'a whole number of seconds from 1 to 31536000',
  SESSION_TTL_SECONDS: 'a whole number of seconds from 1 to 31536000',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace or silent',
  ACCI_ENCRYPTION_KEYS:
    'a comma-separated list of id:base64key entries, each key 32 bytes ' +
    '(id:$(openssl rand -base64 32)); the first one encrypts',
  SMS_GATEWAY_URL: 'an http or https URL that accepts POST {"to", "text"} as JSON',
  SMS_GATEWAY_TOKEN: 'a bearer token for the SMS gateway, or nothing to send none',
  LDAP_RECHECK_SECONDS: 'a whole number of seconds from 1 to 86400',
} as const;

type Variable = keyof typeof requirements;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Wraps `schema` so that an empty variable counts as unset, as with the shell idiom `VAR=`. */
function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

function seconds(max: number, fallback: number) {
  return variable(
    z
      .string()
      .regex(/^\d+$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(max))
      .default(fallback),
  );
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

/** Reads ACCI_ENCRYPTION_KEYS, reporting the parser's reason, which never contains a key. */
function encryptionKeys(text: string, context: z.RefinementCtx): EncryptionKey[] {
  try {
    return parseEncryptionKeys(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
}

function isPostgresUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'postgres:' || protocol === 'postgresql:';
}

/** Reads a PEM key, accepting `\n` escapes for platforms that keep variables on one line. */
function parsePrivateKey(pem: string, context: z.RefinementCtx): KeyObject {
  const text = pem.replaceAll('\\n', '\n');
  if (!text.includes('-----BEGIN PRIVATE KEY-----')) {
    context.addIssue({ code: 'custom', message: 'not PEM PKCS#8' });
    return z.NEVER;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    context.addIssue({ code: 'custom', message: 'unreadable key' });
    return z.NEVER;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048) {
    context.addIssue({ code: 'custom', message: 'not an RSA key of 2048 bits or more' });
    return z.NEVER;
  }
  return key;
}

const environmentSchema = z.object({
  DATABASE_URL: variable(z.string().refine(isPostgresUrl)),
  ACTIONS_PORT: variable(
    z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().max(65535)).default(3000),
  ),
  ACTIONS_HOST: variable(z.string().regex(/^\S+$/).default('127.0.0.1')),
  ACTION_SECRET: variable(z.string().min(32)),
  ACCI_JWT_PRIVATE_KEY: variable(z.string().transform(parsePrivateKey)),
  ACCI_JWT_ISSUER: variable(z.string().default('acci')),
  ACCI_JWT_AUDIENCE: variable(z.string().optional()),
  ACCESS_TOKEN_TTL_SECONDS: seconds(86400, 900),
  REFRESH_TOKEN_TTL_SECONDS: seconds(31536000, 30 * 86400),
  SESSION_TTL_SECONDS: seconds(31536000, 30 * 86400),
  LOG_LEVEL: variable(z.enum(logLevels).default('info')),
  ACCI_ENCRYPTION_KEYS: variable(z.string().transform(encryptionKeys).optional()),
  SMS_GATEWAY_URL: variable(z.string().refine(isHttpUrl).optional()),
  SMS_GATEWAY_TOKEN: variable(z.string().optional()),
  LDAP_RECHECK_SECONDS: seconds(86400, 300),
});

/**
 * Parses the action server's settings from `env` (usually `process.env`); variables it does
 * not know are ignored. Throws an `Error` naming the first missing or invalid variable and
 * what it must contain, without echoing the value, which may be a secret.
 */
export function loadActionsConfig(
  env: Readonly<Record<string, string | undefined>>,
): ActionsConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw configError(parsed.error, env);
  const values = parsed.data;

  if (values.ACCESS_TOKEN_TTL_SECONDS > values.SESSION_TTL_SECONDS) {
    throw new Error(
      `Invalid ACCESS_TOKEN_TTL_SECONDS: it must not exceed SESSION_TTL_SECONDS ` +
        `(${values.ACCESS_TOKEN_TTL_SECONDS} > ${values.SESSION_TTL_SECONDS}).`,
    );
  }
  return {
    databaseUrl: values.DATABASE_URL,
    host: values.ACTIONS_HOST,
    port: values.ACTIONS_PORT,
    actionSecret: values.ACTION_SECRET,
    jwt: {
      privateKey: values.ACCI_JWT_PRIVATE_KEY,
      issuer: values.ACCI_JWT_ISSUER,
      audience: values.ACCI_JWT_AUDIENCE,
    },
    accessTokenTtlSeconds: values.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: values.REFRESH_TOKEN_TTL_SECONDS,
    sessionTtlSeconds: values.SESSION_TTL_SECONDS,
    logLevel: values.LOG_LEVEL,
    passwordHashing: owaspPasswordHashing,
    auth: loadAuthConfig(env),
    tenancy: loadTenancyConfig(env),
    plugins: loadPluginsConfig(env),
    encryptionKeys: values.ACCI_ENCRYPTION_KEYS ?? [],
    smsGateway:
      values.SMS_GATEWAY_URL === undefined
        ? undefined
        : { url: values.SMS_GATEWAY_URL, token: values.SMS_GATEWAY_TOKEN },
    ldapRecheckSeconds: values.LDAP_RECHECK_SECONDS,
  };
}

function configError(error: z.ZodError, env: Readonly<Record<string, string | undefined>>): Error {
  const issue = error.issues[0];
  const name = issue?.path[0];
  if (typeof name !== 'string' || !(name in requirements)) {
    return new TypeError(`Unexpected configuration issue: ${issue?.message ?? 'none'}.`);
  }
  const missing = env[name] === undefined || env[name] === '';
  const requirement = requirements[name as Variable];
  return new Error(`${missing ? 'Missing' : 'Invalid'} ${name}: it must contain ${requirement}.`);
}
