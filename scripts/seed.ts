/**
 * `npm run seed`: loads the demo data of hasura/seeds/default into DATABASE_URL when it has no
 * tenant yet, with every demo password set to ACCI_ADMIN_PASSWORD.
 */
import { resolve } from 'node:path';
import { seedDemoData } from './lib/seed.js';

const databaseUrl = process.env.DATABASE_URL;
const password = process.env.ACCI_ADMIN_PASSWORD;
if (databaseUrl === undefined || databaseUrl === '') {
  console.error('DATABASE_URL is not set: give it a postgres:// connection string.');
  process.exit(1);
}
if (password === undefined || password.length < 8) {
  console.error(
    'ACCI_ADMIN_PASSWORD is missing or shorter than 8 characters: set the demo password.',
  );
  process.exit(1);
}

const seeded = await seedDemoData(
  databaseUrl,
  resolve(import.meta.dirname, '../hasura/seeds/default'),
  password,
);
console.log(seeded ? 'Seeded the demo data.' : 'The database already has tenants; nothing seeded.');
