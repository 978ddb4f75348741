import type { SessionUser } from './session';

/** The part of a session that survives a reload besides the refresh token. It contains no secret. */
export interface StoredProfile {
  organisation: string;
  user: SessionUser;
}

/** The sessionStorage key of the profile, stored as JSON. */
export const profileKey = 'acci.profile';

/** Writes `profile` to `storage`, or removes it when `profile` is null. */
export function writeStoredProfile(storage: Storage, profile: StoredProfile | null): void {
  if (profile === null) {
    storage.removeItem(profileKey);
    return;
  }

  storage.setItem(profileKey, JSON.stringify(profile));
}

/** Reads the stored profile, or returns null when it is missing or not in the expected shape. */
export function readStoredProfile(storage: Storage): StoredProfile | null {
  const text = storage.getItem(profileKey);
  if (text === null) return null;

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }

  return isStoredProfile(value) ? value : null;
}

function isStoredProfile(value: unknown): value is StoredProfile {
  if (!isRecord(value) || typeof value.organisation !== 'string') return false;

  const { user } = value;
  return (
    isRecord(user) &&
    ['id', 'tenantId', 'email', 'firstName', 'lastName'].every(
      (field) => typeof user[field] === 'string',
    ) &&
    Array.isArray(user.roles) &&
    user.roles.every((role) => typeof role === 'string')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
