import { gql } from 'urql';
import { memoryExchange, reply } from '../testing/memoryExchange';
import { makeSession } from '../testing/sessions';
import { createConsoleClient } from './createConsoleClient';

const PingQuery = gql`
  query Ping {
    __typename
  }
`;

const url = 'http://127.0.0.1:8080/v1/graphql';

const invalidJwt = reply({
  errors: [{ message: 'Could not verify JWT: JWTExpired', extensions: { code: 'invalid-jwt' } }],
});

describe('createConsoleClient', () => {
  it('sends no token without a session', async () => {
    const { exchange, requests } = memoryExchange({
      Ping: reply({ data: { __typename: 'Query' } }),
    });
    const client = createConsoleClient({
      url,
      session: null,
      onInvalidToken: () => {},
      transport: exchange,
    });

    await client.query(PingQuery, {}).toPromise();

    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers).toEqual({});
  });

  it('sends the token and tenant_admin role', async () => {
    const { exchange, requests } = memoryExchange({
      Ping: reply({ data: { __typename: 'Query' } }),
    });
    const client = createConsoleClient({
      url,
      session: makeSession({ roles: ['user', 'tenant_admin'] }),
      onInvalidToken: () => {},
      transport: exchange,
    });

    await client.query(PingQuery, {}).toPromise();

    expect(requests[0]?.headers).toEqual({
      Authorization: 'Bearer access-token-1',
      'X-Hasura-Role': 'tenant_admin',
    });
  });

  it('sends role user without tenant_admin', async () => {
    const { exchange, requests } = memoryExchange({
      Ping: reply({ data: { __typename: 'Query' } }),
    });
    const client = createConsoleClient({
      url,
      session: makeSession({ roles: ['user', 'platform_admin'] }),
      onInvalidToken: () => {},
      transport: exchange,
    });

    await client.query(PingQuery, {}).toPromise();

    expect(requests[0]?.headers['X-Hasura-Role']).toBe('user');
  });

  it('reports an invalid-jwt error', async () => {
    const { exchange } = memoryExchange({ Ping: invalidJwt });
    let reports = 0;
    const client = createConsoleClient({
      url,
      session: makeSession(),
      onInvalidToken: () => {
        reports += 1;
      },
      transport: exchange,
    });

    const result = await client.query(PingQuery, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.message).toBe('Could not verify JWT: JWTExpired');
    expect(reports).toBe(1);
  });

  it('does not report other errors', async () => {
    const { exchange } = memoryExchange({
      Ping: reply({
        errors: [{ message: 'field "users" not found', extensions: { code: 'validation-failed' } }],
      }),
    });
    let reports = 0;
    const client = createConsoleClient({
      url,
      session: makeSession(),
      onInvalidToken: () => {
        reports += 1;
      },
      transport: exchange,
    });

    const result = await client.query(PingQuery, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.message).toBe('field "users" not found');
    expect(reports).toBe(0);
  });
});
