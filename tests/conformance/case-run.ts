import { type AuthMode, caseHeaders, checkRefusals } from './auth.js';
import type { CaseRequest } from './cases.js';
import { compareBodies, type Difference, verdicts } from './compare.js';
import type { PassName } from './exclusions.js';
import { type Reply, sendRequest } from './request.js';
import type { RequestResult } from './results.js';

export interface CaseAuth {
  mode: AuthMode;
  pass: PassName;
  adminSecret: string;
}

export interface CaseOutcome {
  strict: boolean;
  message: boolean;
  requests: RequestResult[];
}

/**
 * Replays the requests of one case in order. Like upstream, it stops at the first request
 * that fails strictly, because later requests build on its effects.
 */
export async function runCase(
  baseUrl: string,
  requests: CaseRequest[],
  auth: CaseAuth,
): Promise<CaseOutcome> {
  const results: RequestResult[] = [];
  let message = true;
  for (const [index, request] of requests.entries()) {
    const result = await runRequest(baseUrl, request, index, auth);
    results.push(result);
    const verdict = verdicts(result.differences);
    const strict =
      result.error === undefined &&
      result.actualStatus === request.status &&
      result.refusals.length === 0 &&
      verdict.strict;
    if (!strict) {
      return { strict: false, message: false, requests: results };
    }
    message &&= verdict.message;
  }
  return { strict: true, message, requests: results };
}

async function runRequest(
  baseUrl: string,
  request: CaseRequest,
  index: number,
  auth: CaseAuth,
): Promise<RequestResult> {
  const result: RequestResult = {
    index,
    url: request.url,
    expectedStatus: request.status,
    actualStatus: null,
    differences: [],
    refusals: [],
  };
  try {
    if (auth.pass === 'admin-secret' && auth.mode === 'admin') {
      result.refusals = await checkRefusals(baseUrl, request);
    }
    const headers = caseHeaders(request, auth.mode, auth.pass, auth.adminSecret);
    const reply = await sendRequest(baseUrl, { ...request, headers });
    result.actualStatus = reply.status;
    result.differences = compareReply(request, reply);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  return result;
}

/** Compares a reply with the expected response, the allowed responses and response headers. */
export function compareReply(request: CaseRequest, reply: Reply): Difference[] {
  const graphql = (request.url.split('?')[0] ?? '').endsWith('/graphql');
  const differences: Difference[] = [];
  if (request.response !== undefined) {
    differences.push(...compareBodies(request.response, reply.body, { graphql }));
  } else if (request.allowedResponses !== undefined) {
    differences.push(...bestAllowed(request.allowedResponses, reply.body, graphql));
  }
  for (const [name, value] of Object.entries(request.responseHeaders ?? {})) {
    const actual = reply.headers[name.toLowerCase()];
    if (actual !== value) {
      const path = `headers.${name}`;
      differences.push({ kind: 'shape', path, expected: value, actual, note: 'header differs' });
    }
  }
  return differences;
}

/** Returns the differences to the closest allowed response: none when one matches fully. */
function bestAllowed(allowed: unknown[], body: unknown, graphql: boolean): Difference[] {
  let best: Difference[] | undefined;
  for (const expected of allowed) {
    const differences = compareBodies(expected, body, { graphql });
    if (best === undefined || rank(differences) < rank(best)) {
      best = differences;
    }
  }
  return best ?? [];
}

// Prefers a candidate that passes strictly, then the one with the fewest differences.
function rank(differences: Difference[]): number {
  const shape = differences.filter((item) => item.kind === 'shape').length;
  return shape * 1000 + differences.length;
}
