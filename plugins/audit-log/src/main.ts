import { startAuditLog } from './index.js';

// Runs the audit-log plugin: ACCI_PLUGIN_SECRET is the signing secret that installPlugin
// returned, PORT and HOST where to listen, ACCI_GRAPHQL_URL the platform's /v1/graphql.
const secret = process.env.ACCI_PLUGIN_SECRET;
if (secret === undefined || secret === '') {
  console.error(
    'Missing ACCI_PLUGIN_SECRET: set it to the signingSecret that installPlugin returned.',
  );
  process.exit(1);
}
const server = await startAuditLog({
  secret,
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 4101),
  graphqlUrl: process.env.ACCI_GRAPHQL_URL,
});
console.log(`audit-log plugin listening on ${server.url}`);
process.once('SIGTERM', () => void server.close());
process.once('SIGINT', () => void server.close());
