import { HttpFailure, memoryExchange, type Responder, reply } from '../testing/memoryExchange';
import { createAnonymousClient } from './createConsoleClient';
import { requestTokenRefresh } from './requestTokenRefresh';

function refreshWith(responder: Responder) {
  const { exchange, requests } = memoryExchange({ RefreshToken: responder });
  const client = createAnonymousClient('http://127.0.0.1:8080/v1/graphql', exchange);

  return { refresh: requestTokenRefresh(client), requests };
}

function failure(code: string, message: string): Responder {
  return reply({ errors: [{ message, extensions: { code } }] });
}

describe('requestTokenRefresh', () => {
  it('returns the renewed tokens', async () => {
    const { refresh, requests } = refreshWith(
      reply({
        data: {
          refreshToken: {
            accessToken: 'access-2',
            refreshToken: 'refresh-2',
            expiresIn: 900,
          },
        },
      }),
    );

    expect(await refresh('refresh-1')).toEqual({
      status: 'renewed',
      tokens: { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 },
    });
    expect(requests[0]?.variables).toEqual({ refreshToken: 'refresh-1' });
    expect(requests[0]?.headers).toEqual({});
  });

  it('reports a rejected token', async () => {
    const { refresh } = refreshWith(
      failure('invalid-refresh-token', 'Invalid, expired or revoked refresh token. Sign in again.'),
    );

    expect(await refresh('refresh-1')).toEqual({ status: 'rejected' });
  });

  it.each([
    ['a network error', () => Promise.reject(new TypeError('Failed to fetch'))],
    ['an HTTP failure', () => Promise.reject(new HttpFailure(502, 'Bad Gateway'))],
    ['a rate limit', failure('too-many-requests', 'Too many requests.')],
    ['an empty response', reply({ data: null })],
  ])('keeps the token after %s', async (_case, responder: Responder) => {
    const { refresh } = refreshWith(responder);

    expect(await refresh('refresh-1')).toEqual({ status: 'unavailable' });
  });
});
