import { loadActionsConfig } from './config.js';
import { generateSigningKey } from './tokens/keys.js';

let privateKey: string;
let required: Record<string, string>;

beforeAll(async () => {
  privateKey = await generateSigningKey();
  required = {
    DATABASE_URL: 'postgres://acci:secret@127.0.0.1:5432/acci',
    ACTION_SECRET: 'a'.repeat(32),
    ACCI_JWT_PRIVATE_KEY: privateKey,
  };
});

function loadWith(changes: Record<string, string | undefined>) {
  return () => loadActionsConfig({ ...required, ...changes });
}

describe('loadActionsConfig', () => {
  it('applies the defaults', () => {
    const config = loadActionsConfig(required);

    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.jwt.issuer).toBe('acci');
    expect(config.jwt.audience).toBeUndefined();
    expect(config.jwt.privateKey.asymmetricKeyType).toBe('rsa');
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.refreshTokenTtlSeconds).toBe(30 * 86400);
    expect(config.sessionTtlSeconds).toBe(30 * 86400);
    expect(config.logLevel).toBe('info');
    expect(config.passwordHashing).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('reads every variable', () => {
    const config = loadActionsConfig({
      ...required,
      ACTIONS_PORT: '0',
      ACTIONS_HOST: '::1',
      ACCI_JWT_ISSUER: 'issuer',
      ACCI_JWT_AUDIENCE: 'audience',
      ACCESS_TOKEN_TTL_SECONDS: '60',
      REFRESH_TOKEN_TTL_SECONDS: '120',
      SESSION_TTL_SECONDS: '180',
      LOG_LEVEL: 'silent',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });

    expect(config).toMatchObject({
      port: 0,
      host: '::1',
      jwt: { issuer: 'issuer', audience: 'audience' },
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 120,
      sessionTtlSeconds: 180,
      logLevel: 'silent',
    });
  });

  it('treats empty variables as unset', () => {
    const config = loadActionsConfig({ ...required, ACTIONS_PORT: '', ACCI_JWT_AUDIENCE: '' });

    expect(config.port).toBe(3000);
    expect(config.jwt.audience).toBeUndefined();
  });

  it('accepts a key with escaped newlines', () => {
    const oneLine = privateKey.trim().replaceAll('\n', '\\n');

    expect(loadWith({ ACCI_JWT_PRIVATE_KEY: oneLine })().jwt.privateKey.type).toBe('private');
  });

  it.each([
    ['DATABASE_URL', 'a PostgreSQL connection string'],
    ['ACTION_SECRET', 'a shared secret of at least 32 characters'],
    ['ACCI_JWT_PRIVATE_KEY', 'an unencrypted RSA private key'],
  ])('names missing %s', (name, requirement) => {
    expect(loadWith({ [name]: undefined })).toThrow(
      `Missing ${name}: it must contain ${requirement}`,
    );
    expect(loadWith({ [name]: '' })).toThrow(`Missing ${name}: it must contain ${requirement}`);
  });

  it.each([
    ['DATABASE_URL', 'mysql://127.0.0.1/acci', 'a PostgreSQL connection string'],
    ['ACTIONS_PORT', '70000', 'a TCP port from 0 to 65535'],
    ['ACTIONS_PORT', '3000abc', 'a TCP port from 0 to 65535'],
    ['ACTIONS_HOST', 'two words', 'a host name or IP address'],
    ['ACTION_SECRET', 'short', 'a shared secret of at least 32 characters'],
    ['ACCI_JWT_PRIVATE_KEY', 'not a key', 'an unencrypted RSA private key'],
    ['ACCESS_TOKEN_TTL_SECONDS', '0', 'a whole number of seconds from 1 to 86400'],
    ['REFRESH_TOKEN_TTL_SECONDS', '1.5', 'a whole number of seconds from 1 to 31536000'],
    ['SESSION_TTL_SECONDS', '-1', 'a whole number of seconds from 1 to 31536000'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error, warn, info, debug, trace or silent'],
  ])('names invalid %s=%s', (name, value, requirement) => {
    expect(loadWith({ [name]: value })).toThrow(`Invalid ${name}: it must contain ${requirement}`);
  });

  it('rejects a PKCS#1 key', () => {
    const pkcs1 = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n';

    expect(loadWith({ ACCI_JWT_PRIVATE_KEY: pkcs1 })).toThrow('Invalid ACCI_JWT_PRIVATE_KEY');
  });

  it('never echoes a secret value', () => {
    const secret = 'too-short-but-secret';

    expect(loadWith({ ACTION_SECRET: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('rejects access tokens that outlive the session', () => {
    expect(loadWith({ ACCESS_TOKEN_TTL_SECONDS: '900', SESSION_TTL_SECONDS: '600' })).toThrow(
      'Invalid ACCESS_TOKEN_TTL_SECONDS: it must not exceed SESSION_TTL_SECONDS (900 > 600).',
    );
  });
});
