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
 * Reads the client address and user agent. Action requests come from the GraphQL server, so
 * the socket address is that server's. The client address is the last `x-forwarded-for`
 * entry: the one the engine appends from the TCP peer it saw, or that the reverse proxy in
 * front of Hasura appends. Earlier entries were written by the client and are not trusted.
 * Behind real Hasura without such a proxy, the last entry is still whatever the client sent.
 */
export function clientInfo(request: Request): ClientInfo {
  const forwarded = request.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  const candidates = [forwarded, request.socket.remoteAddress];
  const ip = candidates.find((value) => value !== undefined && isIP(value) !== 0) ?? null;

  const header = request.get('user-agent');
  // Cut by code points, as PostgreSQL's length() counts, so no surrogate pair is split.
  const userAgent =
    header === undefined ? null : Array.from(header).slice(0, userAgentLimit).join('');
  return { ip, userAgent };
}
