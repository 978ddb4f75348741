import semver from 'semver';

/** Orders two semantic versions: negative when `left` is lower, 0 when equal. */
export function compareVersions(left: string, right: string): number {
  return semver.compare(left, right);
}

/** Tests whether `version` satisfies the semver `range`, such as `^1.2.0`. Pre-releases never do. */
export function satisfiesRange(version: string, range: string): boolean {
  return semver.satisfies(version, range);
}
