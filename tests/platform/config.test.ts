import { ConfigError, platformConfigFromEnv } from '../../scripts/lib/platform-config.js';

describe('platformConfigFromEnv', () => {
  it('uses the documented defaults', () => {
    const config = platformConfigFromEnv({});
    expect(config.ports).toEqual({ postgres: 5433, engine: 8080, actions: 3000, web: 5173 });
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('/.acci')).toBe(true);
    expect(config.web).toBe(true);
  });

  it.each([
    ['ACTIONS_PORT', 'abc', 'ACTIONS_PORT is "abc": it must be a TCP port between 0 and 65535.'],
    [
      'ACCI_WEB_PORT',
      '70000',
      'ACCI_WEB_PORT is "70000": it must be a TCP port between 0 and 65535.',
    ],
    [
      'HASURA_URL',
      'localhost:8080',
      'HASURA_URL is "localhost:8080": it must be an http:// or https:// URL.',
    ],
    [
      'ACCI_ADMIN_PASSWORD',
      'short',
      'ACCI_ADMIN_PASSWORD is shorter than 8 characters: choose a longer one.',
    ],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => platformConfigFromEnv({ [name]: value })).toThrow(new ConfigError(message));
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    expect(() => platformConfigFromEnv({ DATABASE_URL: 'mysql://localhost/db' })).toThrow(
      /^DATABASE_URL is not a PostgreSQL connection string/,
    );
  });

  it('never echoes a DATABASE_URL, which may hold a password', () => {
    expect(() => platformConfigFromEnv({ DATABASE_URL: 'postgres//user:hunter2@x' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
