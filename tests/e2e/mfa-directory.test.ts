import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32Decode } from '../../actions/src/mfa/test-support.js';
import { hotp, totpStep } from '../../actions/src/mfa/totp.js';
import { type Platform, startPlatform } from '../../scripts/lib/platform.js';
import { platformConfigFromEnv } from '../../scripts/lib/platform-config.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';
import { testDirectory } from '../harness/ldap.js';
import { serviceUrl } from '../harness/services.js';

const demoPassword = 'Demo-Passw0rd-mfa-e2e';

interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

let platform: Platform;
let database: TestDatabase;
let dataDir: string;

async function graphql(query: string, variables: Record<string, unknown>, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(platform.urls.graphql, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphqlResponse;
}

async function rest(method: string, path: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${platform.urls.engine}/api/rest/${path}`, {
    method,
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function passwordLogin(tenantId: string, email: string) {
  const result = await rest('POST', 'auth/login', { tenantId, email, password: demoPassword });
  expect(result.status).toBe(200);
  return result.body.login as Record<string, unknown>;
}

beforeAll(async () => {
  database = await createTestDatabase('e2e-mfa-directory', { migrated: false });
  dataDir = await mkdtemp(join(tmpdir(), 'acci-e2e-mfa-'));
  platform = await startPlatform(
    platformConfigFromEnv({
      ACCI_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      ACCI_ADMIN_PASSWORD: demoPassword,
      ACCI_POSTGRES_PORT: '0',
      HASURA_GRAPHQL_SERVER_PORT: '0',
      ACTIONS_PORT: '0',
      ACCI_WEB: 'false',
    }),
    () => {},
  );
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('MFA through the engine', () => {
  it('enrols TOTP and completes sign-in over REST', async () => {
    const first = await passwordLogin('demo.test', 'bob@demo.test');
    const enabled = await graphql(
      'mutation { enableMfa(type: "totp") { secret otpauthUri qrCodeDataUrl } }',
      {},
      String(first.accessToken),
    );
    expect(enabled.errors).toBeUndefined();
    const enrolment = enabled.data?.enableMfa as { secret: string } | undefined;
    const secret = base32Decode(String(enrolment?.secret));
    const confirmed = await graphql(
      'mutation ($code: String!) { confirmMfa(code: $code) { recoveryCodes login { accessToken } } }',
      { code: hotp(secret, totpStep(Date.now() / 1000)) },
      String(first.accessToken),
    );
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data?.confirmMfa).toMatchObject({ login: null });

    const challenge = await passwordLogin('demo.test', 'bob@demo.test');
    expect(challenge).toMatchObject({ mfaRequired: true, accessToken: null, mfaMethods: ['totp'] });

    const asToken = await graphql('{ users { id } }', {}, String(challenge.mfaToken));
    expect(asToken.errors?.[0]?.extensions?.code).toBe('invalid-jwt');

    const wrong = await rest('POST', 'auth/mfa/verify', {
      mfaToken: challenge.mfaToken,
      code: '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid-mfa-code');

    const verified = await rest('POST', 'auth/mfa/verify', {
      mfaToken: challenge.mfaToken,
      code: hotp(secret, totpStep(Date.now() / 1000) + 1),
    });
    expect(verified.status).toBe(200);
    const login = verified.body.verifyMfa as Record<string, unknown>;
    expect(login.mfaRequired).toBe(false);
    const users = await graphql('{ users { email } }', {}, String(login.accessToken));
    expect(users.errors).toBeUndefined();
  });
});

describe('directory sign-in through the engine', () => {
  it('saves settings, tests them and signs in over REST', async () => {
    const admin = await passwordLogin('acme.test', 'admin@acme.test');
    const token = String(admin.accessToken);
    const saved = await rest(
      'PUT',
      'tenant/directory',
      {
        settings: {
          enabled: true,
          url: serviceUrl('ldap'),
          bindDn: testDirectory.serviceDn,
          bindPassword: testDirectory.password,
          searchBase: `ou=ad,${testDirectory.baseDn}`,
          searchFilter: '(|(sAMAccountName={{username}})(userPrincipalName={{username}}))',
          groupRoleMap: [
            { group: `cn=ad-admins,ou=groups,${testDirectory.baseDn}`, role: 'tenant_admin' },
          ],
        },
      },
      token,
    );
    expect(saved.status).toBe(200);
    expect(saved.body.setDirectorySettings).toMatchObject({
      bindPasswordSet: true,
      timeoutMs: 5000,
    });
    expect(JSON.stringify(saved.body)).not.toContain(testDirectory.password);

    const tested = await rest('POST', 'tenant/directory/test', { username: 'carol' }, token);
    expect(tested.status).toBe(200);
    expect(tested.body.testLdapConnection).toMatchObject({ ok: true, entryCount: 1 });

    const signedIn = await rest('POST', 'auth/login/ldap', {
      tenantId: 'acme.test',
      username: 'carol@ad.acci.test',
      password: testDirectory.password,
    });
    expect(signedIn.status).toBe(200);
    const login = signedIn.body.loginLdap as { accessToken: string; user: { roles: string[] } };
    expect(login.user.roles).toEqual(['user', 'tenant_admin']);
    const users = await graphql(
      '{ users(where: {source: {_eq: "directory"}}) { email } }',
      {},
      login.accessToken,
    );
    expect(users.data?.users).toEqual([{ email: 'carol@ad.acci.test' }]);

    const disabled = await rest('POST', 'auth/login/ldap', {
      tenantId: 'acme.test',
      username: 'dave',
      password: testDirectory.password,
    });
    expect(disabled.status).toBe(400);
    expect(disabled.body.code).toBe('account-disabled');
  });

  it('keeps the directory settings from other roles', async () => {
    const user = await passwordLogin('acme.test', 'carol@acme.test');
    const result = await rest(
      'PUT',
      'tenant/directory',
      { settings: {} },
      String(user.accessToken),
    );
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('validation-failed');
    expect(result.body.setDirectorySettings).toBeUndefined();
  });
});
