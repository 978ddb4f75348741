import { z } from 'zod';

/** Settings of refresh, lockout, rate limits, mail and API keys, read by `loadAuthConfig`. */
export interface AuthConfig {
  /** Redis for counters and lockouts; undefined keeps them in the process. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key the action server writes. */
  redisKeyPrefix: string;
  /** SMTP server for account mail; undefined logs each mail as not sent. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Base URL of the console; mailed links point at its reset and invite pages. */
  consoleUrl: string;
  /** How long a rotated refresh token still returns its successor instead of revoking. */
  refreshReuseGraceSeconds: number;
  passwordResetTtlSeconds: number;
  inviteTtlSeconds: number;
  /** Lifetime of the access tokens that `exchangeApiKey` issues. */
  apiKeyTokenTtlSeconds: number;
  rateLimits: {
    /** Requests of one client address per window to the anonymous auth actions. */
    perIp: number;
    /** Sign-in and reset attempts per tenant and email per window. */
    perAccount: number;
    windowSeconds: number;
  };
}

/** Requirement of each variable, as the error for a bad value states it. */
const requirements = {
  REDIS_URL: 'a Redis URL such as redis://127.0.0.1:6379/0, or nothing for in-process counters',
  REDIS_KEY_PREFIX: 'a prefix for Redis keys of 1 to 64 characters without spaces, such as acci:',
  SMTP_URL: 'an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587',
  MAIL_FROM: 'a sender address such as "ACCI <no-reply@example.com>"',
  ACCI_CONSOLE_URL: 'the http or https base URL of the console, such as https://console.example',
  REFRESH_REUSE_GRACE_SECONDS: 'a whole number of seconds from 0 to 300',
  PASSWORD_RESET_TTL_SECONDS: 'a whole number of seconds from 60 to 86400',
  INVITE_TTL_SECONDS: 'a whole number of seconds from 60 to 2592000',
  API_KEY_TOKEN_TTL_SECONDS: 'a whole number of seconds from 10 to 3600',
  AUTH_RATE_LIMIT_PER_IP: 'a whole number of requests from 1 to 1000000',
  AUTH_RATE_LIMIT_PER_ACCOUNT: 'a whole number of attempts from 1 to 1000000',
  AUTH_RATE_LIMIT_WINDOW_SECONDS: 'a whole number of seconds from 1 to 86400',
} as const;

type Variable = keyof typeof requirements;

function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

function wholeNumber(min: number, max: number, fallback: number) {
  return variable(
    z
      .string()
      .regex(/^\d+$/)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .default(fallback),
  );
}

function hasProtocol(protocols: string[]) {
  return (value: string) => URL.canParse(value) && protocols.includes(new URL(value).protocol);
}

const environmentSchema = z.object({
  REDIS_URL: variable(
    z
      .string()
      .refine(hasProtocol(['redis:', 'rediss:']))
      .optional(),
  ),
  REDIS_KEY_PREFIX: variable(
    z
      .string()
      .regex(/^\S{1,64}$/)
      .default('acci:'),
  ),
  SMTP_URL: variable(
    z
      .string()
      .refine(hasProtocol(['smtp:', 'smtps:']))
      .optional(),
  ),
  MAIL_FROM: variable(z.string().min(3).max(320).default('ACCI <no-reply@localhost>')),
  ACCI_CONSOLE_URL: variable(
    z
      .string()
      .refine(hasProtocol(['http:', 'https:']))
      .default('http://127.0.0.1:5173'),
  ),
  REFRESH_REUSE_GRACE_SECONDS: wholeNumber(0, 300, 10),
  PASSWORD_RESET_TTL_SECONDS: wholeNumber(60, 86400, 1800),
  INVITE_TTL_SECONDS: wholeNumber(60, 2592000, 7 * 86400),
  API_KEY_TOKEN_TTL_SECONDS: wholeNumber(10, 3600, 300),
  AUTH_RATE_LIMIT_PER_IP: wholeNumber(1, 1_000_000, 300),
  AUTH_RATE_LIMIT_PER_ACCOUNT: wholeNumber(1, 1_000_000, 30),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: wholeNumber(1, 86400, 300),
});

/**
 * Parses the authentication settings from `env`. Throws an `Error` naming the first missing
 * or invalid variable and what it must contain, without echoing the value.
 */
export function loadAuthConfig(env: Readonly<Record<string, string | undefined>>): AuthConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path[0];
    if (typeof name !== 'string' || !(name in requirements)) {
      throw new TypeError(`Unexpected configuration issue: ${parsed.error.message}.`);
    }
    throw new Error(`Invalid ${name}: it must contain ${requirements[name as Variable]}.`);
  }
  const values = parsed.data;
  return {
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    consoleUrl: values.ACCI_CONSOLE_URL.replace(/\/+$/, ''),
    refreshReuseGraceSeconds: values.REFRESH_REUSE_GRACE_SECONDS,
    passwordResetTtlSeconds: values.PASSWORD_RESET_TTL_SECONDS,
    inviteTtlSeconds: values.INVITE_TTL_SECONDS,
    apiKeyTokenTtlSeconds: values.API_KEY_TOKEN_TTL_SECONDS,
    rateLimits: {
      perIp: values.AUTH_RATE_LIMIT_PER_IP,
      perAccount: values.AUTH_RATE_LIMIT_PER_ACCOUNT,
      windowSeconds: values.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    },
  };
}
