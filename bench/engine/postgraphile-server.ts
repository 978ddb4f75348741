import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { requestRole, verifyBenchToken } from './jwt.js';

// Child process: PostGraphile 5 over the copy database given in BENCH_PG_URL, on 127.0.0.1 at
// BENCH_PORT. Each request's JWT becomes SET LOCAL settings, and the database role
// bench_postgraphile makes the policies of rls.ts filter the rows. Run with
// --import ./bench/engine/polyfill.ts on Node 20.

const connectionString = process.env.BENCH_PG_URL;
const port = Number(process.env.BENCH_PORT);
if (connectionString === undefined || !Number.isInteger(port)) {
  throw new Error('Set BENCH_PG_URL and BENCH_PORT.');
}

/** SET LOCAL settings for one request; no role at all when the token is missing or invalid. */
function settingsFor(context: Grafast.RequestContext): Record<string, string> {
  const http = context.http;
  const claims = verifyBenchToken(http?.getHeader('authorization'));
  if (claims === null) return { role: 'bench_postgraphile', 'jwt.claims.role': 'anonymous' };
  const role = requestRole(claims, http?.getHeader('x-hasura-role')) ?? 'anonymous';
  return {
    role: 'bench_postgraphile',
    'jwt.claims.role': role,
    'jwt.claims.user_id': claims['x-hasura-user-id'],
    'jwt.claims.tenant_id': claims['x-hasura-tenant-id'],
    'jwt.claims.session_id': claims['x-hasura-session-id'],
  };
}

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ['public'],
      pgSettings: settingsFor,
      // The engine's pool size (engine/src/state.ts), so no server gets more connections.
      poolConfig: { max: 20 },
    }),
  ],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
};

const instance = postgraphile(preset);
const serv = instance.createServ(grafserv);
const server = createServer();
serv.addTo(server);
await serv.ready();
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));

process.on('SIGTERM', () => {
  server.close();
  void Promise.resolve(instance.release()).then(() => process.exit(0));
});
