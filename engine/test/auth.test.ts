import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { adminSecret, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `CREATE TABLE note (id serial PRIMARY KEY, owner text NOT NULL, body text NOT NULL);
INSERT INTO note (owner, body) VALUES ('u1', 'one'), ('u2', 'two');`;

const tables = [
  {
    table: { schema: 'public', name: 'note' },
    select_permissions: [
      {
        role: 'user',
        permission: { columns: ['id', 'body'], filter: { owner: { _eq: 'X-Hasura-User-Id' } } },
      },
      { role: 'anonymous', permission: { columns: ['id'], filter: {} } },
    ],
  },
];

const hsKey = 'an-hs256-test-key-that-is-32-bytes!!';
const namespace = 'https://hasura.io/jwt/claims';

function claims(extra: Record<string, unknown> = {}) {
  return {
    [namespace]: {
      'x-hasura-allowed-roles': ['user', 'editor'],
      'x-hasura-default-role': 'user',
      'x-hasura-user-id': 'u1',
      ...extra,
    },
  };
}

async function hsToken(payload: Record<string, unknown>, expiresIn = '5m'): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(hsKey));
}

function bearer(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

describe('admin secret and JWT key', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startTestEngine('engine-auth', setupSql, metadataWith(tables), {
      HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({ type: 'HS256', key: hsKey }),
    });
  });

  afterAll(async () => {
    await t.stop();
  });

  it('grants admin with the admin secret', async () => {
    const { body } = await t.graphql('{ note(order_by: {id: asc}) { owner } }', {
      headers: { 'x-hasura-admin-secret': adminSecret },
    });
    expect(body.data).toEqual({ note: [{ owner: 'u1' }, { owner: 'u2' }] });
  });

  it('rejects a wrong admin secret', async () => {
    const { status, body } = await t.graphql('{ note { id } }', {
      headers: { 'x-hasura-admin-secret': 'wrong' },
    });
    expect(status).toBe(200);
    expect(body.errors).toEqual([
      {
        message: 'invalid x-hasura-admin-secret/x-hasura-access-key',
        extensions: { path: '$', code: 'access-denied' },
      },
    ]);
  });

  it('requires credentials in JWT mode', async () => {
    const { body } = await t.graphql('{ note { id } }', { headers: {} });
    expect(body.errors).toEqual([
      {
        message: "Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
        extensions: { path: '$', code: 'invalid-headers' },
      },
    ]);
  });

  it('takes the default role and session variables from the token', async () => {
    const { body } = await t.graphql('{ note { id body } }', {
      headers: bearer(await hsToken(claims())),
    });
    expect(body.data).toEqual({ note: [{ id: 1, body: 'one' }] });
  });

  it('rejects a requested role outside the allowed roles', async () => {
    const headers = bearer(await hsToken(claims()), { 'x-hasura-role': 'anonymous' });
    const { body } = await t.graphql('{ note { id } }', { headers });
    expect(body.errors).toEqual([
      {
        message: 'Your requested role is not in allowed roles',
        extensions: { path: '$', code: 'access-denied' },
      },
    ]);
  });

  it('rejects an expired token', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(hsKey));
    const { body } = await t.graphql('{ note { id } }', { headers: bearer(token) });
    expect(body.errors).toEqual([
      {
        message: 'Could not verify JWT: JWTExpired',
        extensions: { path: '$', code: 'invalid-jwt' },
      },
    ]);
  });

  it('rejects a bad signature', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-key-another-key-another-key'));
    const { body } = await t.graphql('{ note { id } }', { headers: bearer(token) });
    expect(body.errors?.[0]).toEqual({
      message: 'Could not verify JWT: JWSError JWSInvalidSignature',
      extensions: { path: '$', code: 'invalid-jwt' },
    });
  });

  it('rejects a token without the claims namespace', async () => {
    const { body } = await t.graphql('{ note { id } }', {
      headers: bearer(await hsToken({ sub: 'x' })),
    });
    expect(body.errors?.[0]?.message).toBe(`claims key: '${namespace}' not found`);
    expect(body.errors?.[0]?.extensions.code).toBe('jwt-missing-role-claims');
  });

  it('rejects a malformed Authorization header', async () => {
    const { body } = await t.graphql('{ note { id } }', {
      headers: { authorization: 'Basic abc' },
    });
    expect(body.errors?.[0]?.message).toBe('Malformed Authorization header');
    expect(body.errors?.[0]?.extensions.code).toBe('invalid-headers');
  });

  it('refuses metadata calls without admin', async () => {
    const response = await fetch(`${t.engine.url}/v1/metadata`, {
      method: 'POST',
      headers: bearer(await hsToken(claims())),
      body: JSON.stringify({ type: 'export_metadata', args: {} }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      path: '$.args',
      error: 'restricted access : admin only',
      code: 'access-denied',
    });
  });
});

describe('unauthorized role', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startTestEngine('engine-auth-anon', setupSql, metadataWith(tables), {
      HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
    });
  });

  afterAll(async () => {
    await t.stop();
  });

  it('serves requests without credentials as the unauthorized role', async () => {
    const { body } = await t.graphql('{ note(order_by: {id: asc}) { id } }', { headers: {} });
    expect(body.data).toEqual({ note: [{ id: 1 }, { id: 2 }] });
    const hidden = await t.graphql('{ note { body } }', { headers: {} });
    expect(hidden.body.errors?.[0]?.message).toBe("field 'body' not found in type: 'note'");
  });
});

describe('admin secret only', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startTestEngine('engine-auth-secret', setupSql, metadataWith(tables));
  });

  afterAll(async () => {
    await t.stop();
  });

  it('requires the admin secret', async () => {
    const { body } = await t.graphql('{ note { id } }', { headers: {} });
    expect(body.errors?.[0]).toEqual({
      message: 'x-hasura-admin-secret/x-hasura-access-key required, but not found',
      extensions: { path: '$', code: 'access-denied' },
    });
  });
});

describe('JWK URL', () => {
  let t: TestEngine;
  let server: Server;
  let fetches = 0;
  const keys: { kid: string; privateKey: CryptoKey; jwk: Record<string, unknown> }[] = [];

  async function addKey(kid: string) {
    const pair = await generateKeyPair('RS256', { extractable: true });
    keys.push({
      kid,
      privateKey: pair.privateKey,
      jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' },
    });
  }

  async function rsToken(kid: string, payload = claims()): Promise<string> {
    const key = keys.find((item) => item.kid === kid);
    if (key === undefined) throw new Error(`no key ${kid}`);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer('acci')
      .setExpirationTime('5m')
      .sign(key.privateKey);
  }

  beforeAll(async () => {
    await addKey('k1');
    server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'max-age=3600',
      });
      response.end(JSON.stringify({ keys: keys.map((key) => key.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    t = await startTestEngine('engine-auth-jwk', setupSql, metadataWith(tables), {
      HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({
        type: 'RS256',
        jwk_url: `http://127.0.0.1:${port}/jwks.json`,
        issuer: 'acci',
      }),
    });
  });

  afterAll(async () => {
    await t.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies tokens and caches the key set', async () => {
    const token = await rsToken('k1');
    const first = await t.graphql('{ note { body } }', { headers: bearer(token) });
    const second = await t.graphql('{ note { body } }', { headers: bearer(token) });
    expect(first.body.data).toEqual({ note: [{ body: 'one' }] });
    expect(second.body.data).toEqual({ note: [{ body: 'one' }] });
    expect(fetches).toBe(1);
  });

  it('refetches the key set for an unknown kid', async () => {
    await addKey('k2');
    const { body } = await t.graphql('{ note { body } }', { headers: bearer(await rsToken('k2')) });
    expect(body.data).toEqual({ note: [{ body: 'one' }] });
    expect(fetches).toBe(2);
  });

  it('rejects a token from another issuer', async () => {
    const key = keys[0];
    if (key === undefined) throw new Error('no key');
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer('someone-else')
      .sign(key.privateKey);
    const { body } = await t.graphql('{ note { id } }', { headers: bearer(token) });
    expect(body.errors?.[0]?.message).toBe('Could not verify JWT: JWTNotInIssuer');
  });
});
