import { CombinedError } from 'urql';
import type { LoginMutation } from '../gql/graphql';
import {
  invalidCredentialsMessage,
  readLoginOutcome,
  serverFailureMessage,
  tooManyAttemptsMessage,
  unreachableMessage,
} from './readLoginOutcome';

type Login = LoginMutation['login'];

const user = {
  id: 'b3c1e0d2-0000-4000-8000-000000000001',
  tenantId: 'a1f0c9e8-0000-4000-8000-000000000001',
  email: 'ada@demo.test',
  firstName: 'Ada',
  lastName: '',
  roles: ['user'],
};

function success(overrides: Partial<Login> = {}): { data: Login } {
  return {
    data: {
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 900,
      tokenType: 'Bearer',
      mfaRequired: false,
      mfaToken: null,
      mfaEnrolmentRequired: null,
      mfaMethods: null,
      user,
      ...overrides,
    },
  };
}

const challenge = {
  mfaRequired: true,
  mfaToken: 'mfa',
  accessToken: null,
  refreshToken: null,
  expiresIn: null,
  tokenType: null,
  user: null,
};

function graphQLFailure(code: string): { error: CombinedError } {
  return {
    error: new CombinedError({
      graphQLErrors: [{ message: 'rejected', extensions: { code } }],
    }),
  };
}

describe('readLoginOutcome', () => {
  it('builds a session from a successful login', () => {
    expect(readLoginOutcome(success(), 'demo.test')).toEqual({
      status: 'signed-in',
      session: {
        accessToken: 'access',
        refreshToken: 'refresh',
        expiresIn: 900,
        organisation: 'demo.test',
        user,
      },
    });
  });

  it('conceals invalid credentials', () => {
    expect(readLoginOutcome(graphQLFailure('invalid-credentials'), 'demo.test')).toEqual({
      status: 'failed',
      message: invalidCredentialsMessage,
    });
  });

  it('reports a network error', () => {
    const error = new CombinedError({ networkError: new TypeError('Failed to fetch') });

    expect(readLoginOutcome({ error }, 'demo.test')).toEqual({
      status: 'failed',
      message: unreachableMessage,
    });
  });

  it('reports an HTTP failure as a server error', () => {
    const error = new CombinedError({
      networkError: new Error('Bad Gateway'),
      response: { status: 502, statusText: 'Bad Gateway' },
    });

    expect(readLoginOutcome({ error }, 'demo.test')).toEqual({
      status: 'failed',
      message: serverFailureMessage,
    });
  });

  it('hides other error codes', () => {
    expect(readLoginOutcome(graphQLFailure('validation-failed'), 'demo.test')).toEqual({
      status: 'failed',
      message: serverFailureMessage,
    });
  });

  it('asks for the second factor', () => {
    const result = success({ ...challenge, mfaEnrolmentRequired: false, mfaMethods: ['totp'] });

    expect(readLoginOutcome(result, 'demo.test')).toEqual({
      status: 'mfa-required',
      mfaToken: 'mfa',
      methods: ['totp'],
    });
  });

  it('asks for enrolment', () => {
    const result = success({ ...challenge, mfaEnrolmentRequired: true, mfaMethods: [] });

    expect(readLoginOutcome(result, 'demo.test')).toEqual({
      status: 'mfa-enrolment-required',
      mfaToken: 'mfa',
    });
  });

  it('rejects a challenge without mfaToken', () => {
    const result = success({ ...challenge, mfaToken: null });

    expect(readLoginOutcome(result, 'demo.test')).toEqual({
      status: 'failed',
      message: serverFailureMessage,
    });
  });

  it('reports too many attempts', () => {
    expect(readLoginOutcome(graphQLFailure('too-many-requests'), 'demo.test')).toEqual({
      status: 'failed',
      message: tooManyAttemptsMessage,
    });
  });

  it.each([
    ['accessToken', { accessToken: null }],
    ['refreshToken', { refreshToken: null }],
    ['expiresIn', { expiresIn: null }],
    ['user', { user: null }],
  ])('rejects a result without %s', (_field, overrides) => {
    expect(readLoginOutcome(success(overrides), 'demo.test')).toEqual({
      status: 'failed',
      message: serverFailureMessage,
    });
  });

  it('rejects a result without data', () => {
    expect(readLoginOutcome({ data: undefined }, 'demo.test')).toEqual({
      status: 'failed',
      message: serverFailureMessage,
    });
  });
});
