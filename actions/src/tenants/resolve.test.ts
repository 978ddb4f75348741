import { parseTenantReference, tenantCondition, tenantReferenceFromHost } from './resolve.js';

describe('parseTenantReference', () => {
  it('reads a UUID as an id', () => {
    expect(parseTenantReference(' 00000000-0000-4000-8000-00000000000A ')).toEqual({
      kind: 'id',
      id: '00000000-0000-4000-8000-00000000000a',
    });
  });

  it('reads anything else as a domain', () => {
    expect(parseTenantReference('Demo.TEST')).toEqual({ kind: 'domain', domain: 'demo.test' });
  });
});

describe('tenantCondition', () => {
  it('compares ids as uuid and domains as citext', () => {
    expect(tenantCondition({ kind: 'id', id: '' }, 't', 1)).toBe('t.id = $1::uuid');
    expect(tenantCondition({ kind: 'domain', domain: '' }, 't', 2)).toBe('t.domain = $2::citext');
  });
});

describe('tenantReferenceFromHost', () => {
  it('prefers x-forwarded-host', () => {
    const headers = { 'x-forwarded-host': 'Acme.test:8443, proxy.local', host: '127.0.0.1:3000' };
    expect(tenantReferenceFromHost(headers)).toEqual({ kind: 'domain', domain: 'acme.test' });
  });

  it('falls back to host without port and trailing dot', () => {
    expect(tenantReferenceFromHost({ host: 'demo.test.:8080' })).toEqual({
      kind: 'domain',
      domain: 'demo.test',
    });
  });

  it('ignores addresses and single labels', () => {
    expect(tenantReferenceFromHost({ host: 'localhost:3000' })).toBeNull();
    expect(tenantReferenceFromHost({ host: '127.0.0.1:3000' })).toBeNull();
    expect(tenantReferenceFromHost({ host: '[::1]:3000' })).toBeNull();
    expect(tenantReferenceFromHost({})).toBeNull();
  });
});
