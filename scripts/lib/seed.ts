import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import pg from 'pg';

/** Domains of the demo tenants that the seed creates. */
export const demoDomains = ['acci.test', 'demo.test', 'acme.test'] as const;

/**
 * Applies the SQL files of a Hasura seeds folder in name order, in one transaction, when the
 * database has no tenant yet, then gives every demo user without a password the demo password.
 *
 * @returns whether the seed ran.
 */
export async function seedDemoData(
  databaseUrl: string,
  seedsFolder: string,
  demoPassword: string,
): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A lost connection also rejects the query in flight, which reports it; without a listener
  // the 'error' event would crash the process instead.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM public.tenants LIMIT 1');
    if (existing.rowCount !== 0) return false;

    const files = (await readdir(seedsFolder)).filter((name) => name.endsWith('.sql')).sort();
    await client.query('BEGIN');
    for (const file of files) await client.query(await readFile(join(seedsFolder, file), 'utf8'));
    // argon2id at OWASP's recommended parameters (19 MiB, two passes, one lane), the same
    // the action server uses, so the first sign-in does not rehash.
    const passwordHash = await hash(demoPassword, {
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    await client.query(
      `UPDATE public.users u SET password_hash = $1
         FROM public.tenants t
        WHERE t.id = u.tenant_id AND t.domain = ANY ($2) AND u.password_hash IS NULL`,
      [passwordHash, demoDomains],
    );
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
