import { loadMetadataDir } from '@acci/engine';

/**
 * Applies a metadata folder to a running Hasura with `replace_metadata`, as
 * `hasura metadata apply` does, and fails naming the inconsistent objects Hasura reports.
 */
export async function applyMetadataToHasura(
  hasuraUrl: string,
  adminSecret: string,
  metadataDir: string,
): Promise<void> {
  const metadata = loadMetadataDir(metadataDir);
  const response = await fetch(`${hasuraUrl}/v1/metadata`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': adminSecret },
    body: JSON.stringify({
      type: 'replace_metadata',
      version: 2,
      args: { allow_inconsistent_metadata: false, metadata },
    }),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(
      `Hasura at ${hasuraUrl} rejected the metadata (HTTP ${response.status}): ${body}`,
    );
  }
}
