import { gql } from 'urql';
import type { Session } from '../session/session';
import { memoryExchange, type Responder, reply } from '../testing/memoryExchange';
import { makeSession } from '../testing/sessions';
import { createAnonymousClient, createConsoleClient } from './createConsoleClient';

const PingQuery = gql`
  query Ping {
    __typename
  }
`;

const PingMutation = gql`
  mutation PingMutation {
    __typename
  }
`;

const url = 'http://127.0.0.1:8080/v1/graphql';

const invalidJwt = reply({
  errors: [{ message: 'Could not verify JWT: JWTExpired', extensions: { code: 'invalid-jwt' } }],
});

const pong = reply({ data: { __typename: 'Query' } });

/** Returns a responder that rejects every token but `validToken` with "invalid-jwt". */
function acceptOnly(validToken: string): Responder {
  return (request) =>
    request.headers.Authorization === `Bearer ${validToken}` ? pong(request) : invalidJwt(request);
}

/** Creates a client whose token becomes `renewedToken` once the server rejects the first. */
function renewingClient(responders: Record<string, Responder>, renewedToken: string | null) {
  const { exchange, requests } = memoryExchange(responders);
  let session: Session = makeSession();
  const renewals: string[] = [];
  const client = createConsoleClient({
    url,
    currentSession: () => session,
    renewRejected: async (accessToken) => {
      renewals.push(accessToken);
      if (renewedToken === null) return false;

      session = { ...session, accessToken: renewedToken };
      return true;
    },
    transport: exchange,
  });

  return { client, requests, renewals };
}

describe('createConsoleClient', () => {
  it('sends no token anonymously', async () => {
    const { exchange, requests } = memoryExchange({ Ping: pong });
    const client = createAnonymousClient(url, exchange);

    await client.query(PingQuery, {}).toPromise();

    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers).toEqual({});
  });

  it('sends the token and tenant_admin role', async () => {
    const { exchange, requests } = memoryExchange({ Ping: pong });
    const client = createConsoleClient({
      url,
      currentSession: () => makeSession({ roles: ['user', 'tenant_admin'] }),
      renewRejected: async () => false,
      transport: exchange,
    });

    await client.query(PingQuery, {}).toPromise();

    expect(requests[0]?.headers).toEqual({
      Authorization: 'Bearer access-token-1',
      'X-Hasura-Role': 'tenant_admin',
    });
  });

  it('sends role user without tenant_admin', async () => {
    const { exchange, requests } = memoryExchange({ Ping: pong });
    const client = createConsoleClient({
      url,
      currentSession: () => makeSession({ roles: ['user', 'platform_admin'] }),
      renewRejected: async () => false,
      transport: exchange,
    });

    await client.query(PingQuery, {}).toPromise();

    expect(requests[0]?.headers['X-Hasura-Role']).toBe('user');
  });

  it('sends the token current at send time', async () => {
    const { exchange, requests } = memoryExchange({ Ping: pong });
    let session = makeSession();
    const client = createConsoleClient({
      url,
      currentSession: () => session,
      renewRejected: async () => false,
      transport: exchange,
    });
    await client.query(PingQuery, {}).toPromise();

    session = { ...session, accessToken: 'access-token-2' };
    await client.query(PingQuery, {}, { requestPolicy: 'network-only' }).toPromise();

    expect(requests.map((request) => request.headers.Authorization)).toEqual([
      'Bearer access-token-1',
      'Bearer access-token-2',
    ]);
  });

  it('retries a query after renewal', async () => {
    const { client, requests, renewals } = renewingClient(
      { Ping: acceptOnly('access-token-2') },
      'access-token-2',
    );

    const result = await client.query(PingQuery, {}).toPromise();

    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ __typename: 'Query' });
    expect(renewals).toEqual(['access-token-1']);
    expect(requests.map((request) => request.headers.Authorization)).toEqual([
      'Bearer access-token-1',
      'Bearer access-token-2',
    ]);
  });

  it('retries a mutation after renewal', async () => {
    const { client, requests } = renewingClient(
      { PingMutation: acceptOnly('access-token-2') },
      'access-token-2',
    );

    const result = await client.mutation(PingMutation, {}).toPromise();

    expect(result.error).toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it('retries only once', async () => {
    const { client, requests, renewals } = renewingClient({ Ping: invalidJwt }, 'access-token-2');

    const result = await client.query(PingQuery, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.message).toBe('Could not verify JWT: JWTExpired');
    expect(renewals).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('returns the error when renewal fails', async () => {
    const { client, requests } = renewingClient({ Ping: invalidJwt }, null);

    const result = await client.query(PingQuery, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.message).toBe('Could not verify JWT: JWTExpired');
    expect(requests).toHaveLength(1);
  });

  it('does not renew on other errors', async () => {
    const { client, renewals } = renewingClient(
      {
        Ping: reply({
          errors: [
            { message: 'field "users" not found', extensions: { code: 'validation-failed' } },
          ],
        }),
      },
      'access-token-2',
    );

    const result = await client.query(PingQuery, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.message).toBe('field "users" not found');
    expect(renewals).toEqual([]);
  });
});
