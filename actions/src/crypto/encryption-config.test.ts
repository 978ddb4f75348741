import { randomBytes } from 'node:crypto';
import { loadActionsConfig } from '../config.js';
import { generateSigningKey } from '../tokens/keys.js';

let required: Record<string, string>;

beforeAll(async () => {
  required = {
    DATABASE_URL: 'postgres://acci:secret@127.0.0.1:5432/acci',
    ACTION_SECRET: 'a'.repeat(32),
    ACCI_JWT_PRIVATE_KEY: await generateSigningKey(),
  };
});

describe('MFA and directory settings of loadActionsConfig', () => {
  it('defaults to no keys, no SMS and a 300 s recheck', () => {
    const config = loadActionsConfig(required);
    expect(config.encryptionKeys).toEqual([]);
    expect(config.smsGateway).toBeUndefined();
    expect(config.ldapRecheckSeconds).toBe(300);
  });

  it('reads the key ring, the gateway and the recheck', () => {
    const key = randomBytes(32).toString('base64');
    const config = loadActionsConfig({
      ...required,
      ACCI_ENCRYPTION_KEYS: `new:${key},old:${randomBytes(32).toString('base64')}`,
      SMS_GATEWAY_URL: 'https://sms.example/send',
      SMS_GATEWAY_TOKEN: 'token',
      LDAP_RECHECK_SECONDS: '60',
    });
    expect(config.encryptionKeys.map((entry) => entry.id)).toEqual(['new', 'old']);
    expect(config.encryptionKeys[0]?.key.toString('base64')).toBe(key);
    expect(config.smsGateway).toEqual({ url: 'https://sms.example/send', token: 'token' });
    expect(config.ldapRecheckSeconds).toBe(60);
  });

  it.each([
    ['ACCI_ENCRYPTION_KEYS', 'k1:short', 'a comma-separated list of id:base64key entries'],
    ['SMS_GATEWAY_URL', 'ftp://sms.example', 'an http or https URL'],
    ['LDAP_RECHECK_SECONDS', '0', 'a whole number of seconds from 1 to 86400'],
  ])('rejects %s=%s', (name, value, requirement) => {
    expect(() => loadActionsConfig({ ...required, [name]: value })).toThrow(
      `Invalid ${name}: it must contain ${requirement}`,
    );
  });

  it('never echoes a key', () => {
    const secret = randomBytes(16).toString('base64');
    expect(() => loadActionsConfig({ ...required, ACCI_ENCRYPTION_KEYS: `k1:${secret}` })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});
