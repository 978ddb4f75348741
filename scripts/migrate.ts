/**
 * `npm run migrate`: applies hasura/migrations/default to DATABASE_URL, as
 * `hasura migrate apply --database-name default` does, and prints the versions it applied.
 */
import { resolve } from 'node:path';
import { applyMigrations } from './lib/migrate.js';

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.error('DATABASE_URL is not set: give it a postgres:// connection string.');
  process.exit(1);
}

const folder = resolve(import.meta.dirname, '../hasura/migrations/default');
const applied = await applyMigrations(databaseUrl, folder);
console.log(
  applied.length === 0 ? 'Database is up to date.' : `Applied migrations ${applied.join(', ')}.`,
);
