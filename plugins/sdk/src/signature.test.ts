import { createHmac } from 'node:crypto';
import {
  generateSigningSecret,
  signatureHeadersFor,
  signPayload,
  verifySignature,
} from './signature.js';

const secret = generateSigningSecret();
const body = JSON.stringify({ hello: 'world' });
const now = new Date('2026-01-01T00:00:00Z');

describe('verifySignature', () => {
  it('accepts a message it signed', () => {
    const headers = signatureHeadersFor(secret, 'msg_1', body, now);
    expect(verifySignature(secret, headers, body, { now })).toEqual({
      valid: true,
      id: 'msg_1',
      timestamp: now.getTime() / 1000,
    });
  });

  it('signs as the Standard Webhooks reference does', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`msg_1.1767225600.${body}`).digest('base64');
    expect(signPayload(secret, 'msg_1', 1767225600, body)).toBe(`v1,${expected}`);
  });

  it('rejects a tampered body, id or timestamp', () => {
    const headers = signatureHeadersFor(secret, 'msg_1', body, now);
    expect(verifySignature(secret, headers, `${body} `, { now }).valid).toBe(false);
    expect(verifySignature(secret, { ...headers, 'webhook-id': 'msg_2' }, body, { now })).toEqual({
      valid: false,
      reason: 'no v1 signature matches',
    });
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(
      verifySignature(secret, { ...headers, 'webhook-timestamp': later }, body, { now }).valid,
    ).toBe(false);
  });

  it('rejects another secret', () => {
    const headers = signatureHeadersFor(secret, 'msg_1', body, now);
    expect(verifySignature(generateSigningSecret(), headers, body, { now }).valid).toBe(false);
  });

  it('rejects a timestamp outside the tolerance', () => {
    const headers = signatureHeadersFor(secret, 'msg_1', body, now);
    const late = new Date(now.getTime() + 301_000);
    expect(verifySignature(secret, headers, body, { now: late })).toEqual({
      valid: false,
      reason: 'webhook-timestamp is outside the tolerance',
    });
    expect(verifySignature(secret, headers, body, { now: late, toleranceSeconds: 400 }).valid).toBe(
      true,
    );
  });

  it('accepts any matching entry of several signatures', () => {
    const headers = signatureHeadersFor(secret, 'msg_1', body, now);
    const other = signatureHeadersFor(generateSigningSecret(), 'msg_1', body, now);
    const both = `${other['webhook-signature']} ${headers['webhook-signature']}`;
    expect(
      verifySignature(secret, { ...headers, 'webhook-signature': both }, body, { now }).valid,
    ).toBe(true);
  });

  it('rejects missing headers', () => {
    expect(verifySignature(secret, {}, body).valid).toBe(false);
    expect(verifySignature(secret, new Headers(), body).valid).toBe(false);
  });
});
