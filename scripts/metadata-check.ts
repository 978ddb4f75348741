import { join, resolve } from 'node:path';
import { loadMetadataDir } from '@acci/engine';
import { checkMetadata } from './lib/metadata-check.js';
import { readMigrationSchema } from './lib/migration-schema.js';

// Checks hasura/metadata against the tables of hasura/migrations/default, or the folders given
// as the first and second argument, and exits with status 1 when a rule breaks tenancy.
const root = resolve(import.meta.dirname, '..');
const metadataDir = process.argv[2] ?? join(root, 'hasura/metadata');
const migrationsDir = process.argv[3] ?? join(root, 'hasura/migrations/default');

const problems = checkMetadata(
  loadMetadataDir(metadataDir),
  await readMigrationSchema(migrationsDir),
);
if (problems.length > 0) {
  for (const line of problems) process.stderr.write(`${line}\n`);
  process.stderr.write(`Metadata check failed with ${problems.length} problem(s).\n`);
  process.exit(1);
}
process.stdout.write(`Metadata check passed: ${metadataDir}\n`);
