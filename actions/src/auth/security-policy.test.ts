import { ActionError } from '../errors.js';
import { assertPasswordAllowed, parseSecurityPolicy } from './security-policy.js';

function violation(policy: unknown, password: string): string | undefined {
  try {
    assertPasswordAllowed(parseSecurityPolicy({ passwordPolicy: policy }).passwordPolicy, password);
    return undefined;
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    expect(error.code).toBe('password-policy-violation');
    return error.message;
  }
}

describe('parseSecurityPolicy', () => {
  it('fills in the defaults', () => {
    expect(parseSecurityPolicy(undefined)).toEqual({
      passwordPolicy: {
        minLength: 12,
        maxLength: 1024,
        requireUpper: false,
        requireLower: false,
        requireDigit: false,
        requireSymbol: false,
      },
      lockout: { maxFailures: 10, windowSeconds: 900, durationSeconds: 900 },
    });
  });

  it('keeps valid fields next to invalid ones', () => {
    const policy = parseSecurityPolicy({
      passwordPolicy: { minLength: 'eight', requireDigit: true },
      lockout: { maxFailures: 3, windowSeconds: -1 },
    });
    expect(policy.passwordPolicy.minLength).toBe(12);
    expect(policy.passwordPolicy.requireDigit).toBe(true);
    expect(policy.lockout).toEqual({ maxFailures: 3, windowSeconds: 900, durationSeconds: 900 });
  });
});

describe('assertPasswordAllowed', () => {
  const strict = {
    minLength: 8,
    maxLength: 20,
    requireUpper: true,
    requireLower: true,
    requireDigit: true,
    requireSymbol: true,
  };

  it.each([
    ['Ab1!', 'at least 8 characters (rule "minLength"'],
    ['Ab1!Ab1!Ab1!Ab1!Ab1!x', 'at most 20 characters (rule "maxLength"'],
    ['abcdefg1!', 'an upper-case letter (rule "requireUpper"'],
    ['ABCDEFG1!', 'a lower-case letter (rule "requireLower"'],
    ['Abcdefgh!', 'a digit (rule "requireDigit"'],
    ['Abcdefgh1', 'a symbol such as ! or # (rule "requireSymbol"'],
  ])('rejects %s naming the rule', (password, expected) => {
    expect(violation(strict, password)).toContain(`The new password must contain ${expected}`);
  });

  it('accepts a password meeting every rule', () => {
    expect(violation(strict, 'Abcdefg1!')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(violation({ minLength: 4 }, '😀😀')).toContain('at least 4 characters');
    expect(violation({ minLength: 4 }, '😀😀😀😀')).toBeUndefined();
  });

  it('never puts the password into the message', () => {
    expect(violation(strict, 'secretpw')).not.toContain('secretpw');
  });
});
