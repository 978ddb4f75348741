import { engineConfigFromEnv } from '../src/index.js';

const base = { HASURA_GRAPHQL_DATABASE_URL: 'postgres://u:p@localhost:5432/db' };

describe('engineConfigFromEnv', () => {
  it('applies Hasura defaults', () => {
    const config = engineConfigFromEnv(base);
    expect(config.port).toBe(8080);
    expect(config.host).toBe('*');
    expect(config.stringifyNumericTypes).toBe(false);
    expect(config.enableAllowlist).toBe(false);
    expect(config.adminSecret).toBeUndefined();
    expect(config.jwt).toBeUndefined();
    expect(config.metadataDir).toBeUndefined();
  });

  it('requires the database URL', () => {
    expect(() => engineConfigFromEnv({})).toThrow(/HASURA_GRAPHQL_DATABASE_URL is missing/);
    expect(() => engineConfigFromEnv({ HASURA_GRAPHQL_DATABASE_URL: 'mysql://x' })).toThrow(
      /HASURA_GRAPHQL_DATABASE_URL is invalid: expected a URL starting with postgres:\/\//,
    );
  });

  it('rejects a bad port and a bad boolean', () => {
    expect(() => engineConfigFromEnv({ ...base, HASURA_GRAPHQL_SERVER_PORT: 'http' })).toThrow(
      'HASURA_GRAPHQL_SERVER_PORT is invalid: expected a port number from 0 to 65535, got "http".',
    );
    expect(() => engineConfigFromEnv({ ...base, HASURA_GRAPHQL_DEV_MODE: 'maybe' })).toThrow(
      'HASURA_GRAPHQL_DEV_MODE is invalid: expected "true" or "false", got "maybe".',
    );
  });

  it('parses the JWT secret with its defaults', () => {
    const config = engineConfigFromEnv({
      ...base,
      HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({ type: 'HS256', key: 'k'.repeat(32) }),
      HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES: 'true',
    });
    expect(config.jwt?.claimsNamespace).toBe('https://hasura.io/jwt/claims');
    expect(config.jwt?.claimsFormat).toBe('json');
    expect(config.jwt?.header).toEqual({ type: 'Authorization' });
    expect(config.jwt?.allowedSkew).toBe(0);
    expect(config.stringifyNumericTypes).toBe(true);
  });

  it('names the JWT secret problem', () => {
    const parse = (value: string) => () =>
      engineConfigFromEnv({ ...base, HASURA_GRAPHQL_JWT_SECRET: value });
    expect(parse('{')).toThrow(/HASURA_GRAPHQL_JWT_SECRET is invalid: it must hold a JSON object/);
    expect(parse('{"type":"HS256"}')).toThrow(
      'HASURA_GRAPHQL_JWT_SECRET is invalid: set either "key" or "jwk_url".',
    );
    expect(parse('{"key":"abc"}')).toThrow(
      'HASURA_GRAPHQL_JWT_SECRET is invalid: "type" is required with "key".',
    );
    expect(parse('{"jwk_url":"http://x","claims_format":"xml"}')).toThrow(
      '"claims_format" must be "json" or "stringified_json".',
    );
  });
});
