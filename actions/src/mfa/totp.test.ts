import { base32Encode, hotp, matchTotp, otpauthUri, totpStep } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed and the last six digits of its eight-digit results.
const seed = Buffer.from('12345678901234567890', 'ascii');
const vectors: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('totp', () => {
  it.each(vectors)('matches RFC 6238 at %i', (time, code) => {
    expect(hotp(seed, totpStep(time))).toBe(code);
  });

  it('accepts one step of drift either way', () => {
    const now = 1111111111;
    const step = totpStep(now);
    expect(matchTotp(seed, hotp(seed, step - 1), now, null)).toBe(step - 1);
    expect(matchTotp(seed, hotp(seed, step + 1), now, null)).toBe(step + 1);
    expect(matchTotp(seed, hotp(seed, step - 2), now, null)).toBeNull();
    expect(matchTotp(seed, hotp(seed, step + 2), now, null)).toBeNull();
  });

  it('rejects the last used step and older ones', () => {
    const now = 1111111111;
    const step = totpStep(now);
    expect(matchTotp(seed, hotp(seed, step), now, step)).toBeNull();
    expect(matchTotp(seed, hotp(seed, step - 1), now, step)).toBeNull();
    expect(matchTotp(seed, hotp(seed, step + 1), now, step)).toBe(step + 1);
  });

  it.each(['', '12345', '1234567', 'abcdef', ' 05047'])('rejects malformed code "%s"', (code) => {
    expect(matchTotp(seed, code, 1111111111, null)).toBeNull();
  });

  it('encodes base32 as RFC 4648', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(seed)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('builds the otpauth URI', () => {
    const uri = new URL(otpauthUri(seed, 'ACCI', 'alice@demo.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/ACCI:alice@demo.test');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('issuer')).toBe('ACCI');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('digits')).toBe('6');
  });
});
