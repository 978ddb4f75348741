import { isIP } from 'node:net';
import type { Request } from 'express';

/** Origin of a request, as sessions and audit events record it. */
export interface ClientInfo {
  ip: string | null;
  /** User-Agent header cut to 512 characters, the limit of the `user_agent` columns. */
  userAgent: string | null;
}

const userAgentLimit = 512;

/**
 * Reads the client address and user agent. The first `x-forwarded-for` entry wins over the
 * socket address because action requests come from Hasura, which forwards the client headers,
 * and only callers holding the action secret get this far.
 */
export function clientInfo(request: Request): ClientInfo {
  const forwarded = request.get('x-forwarded-for')?.split(',')[0]?.trim();
  const candidates = [forwarded, request.socket.remoteAddress];
  const ip = candidates.find((value) => value !== undefined && isIP(value) !== 0) ?? null;

  const header = request.get('user-agent');
  // Cut by code points, as PostgreSQL's length() counts, so no surrogate pair is split.
  const userAgent =
    header === undefined ? null : Array.from(header).slice(0, userAgentLimit).join('');
  return { ip, userAgent };
}
