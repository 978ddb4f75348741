import type { CaseRequest, TestClass } from './cases.js';

/** The two passes of a run: upstream's default mode, then the whole suite with an admin secret. */
export type PassName = 'plain' | 'admin-secret';

const OTHER_BACKENDS = /mssql|bigquery|citus|mysql|cockroach|snowflake|athena|mongo/i;

/**
 * Returns why a whole class is not replayed in this pass, or undefined when it is. Each rule
 * names a transport or feature the runner does not drive, or one the engine does not offer.
 */
export function classExclusion(item: TestClass, pass: PassName): string | undefined {
  const fixtures = item.reasons.join(' ');
  if (item.missingSetup !== undefined) {
    return `its setup files are not in the case folder (${item.missingSetup})`;
  }
  if (
    !item.transports.includes('http') ||
    item.area === 'subscriptions' ||
    /\bws_/.test(fixtures)
  ) {
    return 'websocket or subscription class: only HTTP cases are replayed';
  }
  if (item.area === 'event-triggers' || item.needsServers.includes('events')) {
    return 'event triggers are tested elsewhere: upstream asserts their delivery in Python';
  }
  if (/enterprise_edition|pro_tests/.test(fixtures)) {
    return 'Enterprise Edition feature';
  }
  if (item.needsServers.includes('auth-webhook')) {
    return 'authentication webhook mode (HASURA_GRAPHQL_AUTH_HOOK) is not an engine setting';
  }
  if (OTHER_BACKENDS.test(item.dir)) {
    return 'non-default source: only PostgreSQL is served';
  }
  const reason = featureExclusion(`${item.dir} ${item.setup.map((file) => file.path).join(' ')}`);
  if (reason !== undefined) {
    return reason;
  }
  if (pass === 'plain' && item.adminSecretMark) {
    return 'runs only with an admin secret (upstream marks the class admin_secret)';
  }
  return undefined;
}

/** Returns why one case is not replayed, from its URLs and request bodies. */
export function caseExclusion(requests: CaseRequest[]): string | undefined {
  for (const request of requests) {
    const reason = featureExclusion(`${request.url} ${JSON.stringify(request.query) ?? ''}`);
    if (reason !== undefined) {
      return reason;
    }
  }
  return undefined;
}

function featureExclusion(text: string): string | undefined {
  if (/remote_schema/i.test(text)) {
    return 'remote schemas are not supported';
  }
  if (/\/v1beta1\/relay|queries\/graphql_query\/relay/.test(text)) {
    return 'Relay (/v1beta1/relay) is not supported';
  }
  if (/apollo_federation/.test(text)) {
    return 'Apollo federation is not supported';
  }
  if (/"(mssql|bigquery|citus|mysql|cockroach)_[a-z_]+"/.test(text)) {
    return 'non-default source: only PostgreSQL is served';
  }
  return undefined;
}
