import type { Entry } from 'ldapts';
import { firstValue } from './client.js';

/** Account states that sign-in reports once the directory has accepted the password. */
export type AccountProblem =
  | 'account-disabled'
  | 'account-locked'
  | 'account-expired'
  | 'password-expired'
  | 'password-change-required';

// userAccountControl bit ACCOUNTDISABLE, and bits of msDS-User-Account-Control-Computed,
// which Active Directory computes for the moment of the search (MS-ADTS 2.2.16).
const accountDisable = 0x2;
const computedLockout = 0x10;
const computedPasswordExpired = 0x800000;
// accountExpires values that mean "never" (MS-ADA1 accountExpires).
const neverExpires = new Set(['0', '9223372036854775807']);
// Difference between the FILETIME epoch (1601) and the Unix epoch, in 100 ns units.
const fileTimeUnixOffset = 116444736000000000n;

function integer(entry: Entry, name: string): bigint | null {
  const text = firstValue(entry, name);
  return text !== null && /^-?\d+$/.test(text) ? BigInt(text) : null;
}

/**
 * Returns the Active Directory state that forbids the sign-in of `entry`, or null. Entries
 * without these attributes, as in OpenLDAP, have none.
 */
export function accountProblem(entry: Entry, now = Date.now()): AccountProblem | null {
  const control = integer(entry, 'userAccountControl') ?? 0n;
  if ((control & BigInt(accountDisable)) !== 0n) return 'account-disabled';

  const computed = integer(entry, 'msDS-User-Account-Control-Computed') ?? 0n;
  if ((computed & BigInt(computedLockout)) !== 0n) return 'account-locked';

  const expires = firstValue(entry, 'accountExpires');
  if (expires !== null && !neverExpires.has(expires) && /^\d+$/.test(expires)) {
    const unixMs = (BigInt(expires) - fileTimeUnixOffset) / 10000n;
    if (unixMs <= BigInt(now)) return 'account-expired';
  }

  if (integer(entry, 'pwdLastSet') === 0n) return 'password-change-required';
  if ((computed & BigInt(computedPasswordExpired)) !== 0n) return 'password-expired';
  return null;
}

/**
 * Maps the sub-code of an Active Directory bind rejection ("data 773" in the diagnostic
 * message) to a problem, or null for wrong credentials and codes that must not be shown.
 */
export function bindProblem(adCode: string | null): AccountProblem | null {
  // NOTE: these four codes are the ones Active Directory is documented to send only when the
  // password was right; 775 (locked) is sent for wrong passwords too, so it stays hidden.
  switch (adCode?.toLowerCase()) {
    case '532':
      return 'password-expired';
    case '533':
      return 'account-disabled';
    case '701':
      return 'account-expired';
    case '773':
      return 'password-change-required';
    default:
      return null;
  }
}
