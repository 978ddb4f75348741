import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CaseResult } from './results.js';

/**
 * The committed list of case ids that passed when it was last rewritten. A run fails when one
 * of them no longer passes, so the engine cannot lose a case silently.
 */
export interface ExpectedPasses {
  note: string;
  passes: string[];
}

const NOTE =
  'Case ids expected to pass. Rewrite with `tsx tests/conformance/run.ts --update-expected`.';

export function readExpectedPasses(path: string): string[] {
  if (!existsSync(path)) {
    return [];
  }
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const passes =
    typeof parsed === 'object' && parsed !== null && 'passes' in parsed ? parsed.passes : undefined;
  if (!Array.isArray(passes) || !passes.every((id) => typeof id === 'string')) {
    throw new TypeError(`Expected a list of strings in "passes" of ${path}.`);
  }
  return passes;
}

/**
 * Returns the expected ids that did not pass in this run. Ids of classes this run did not
 * replay (filtered out with `--only`) are left out.
 */
export function lostPasses(expected: string[], results: CaseResult[]): string[] {
  const byId = new Map(results.map((result) => [result.id, result]));
  return expected.filter((id) => {
    const result = byId.get(id);
    return result !== undefined && result.outcome !== 'passed';
  });
}

/** Rewrites the list from this run: ids of other classes are kept when `--only` narrowed it. */
export function writeExpectedPasses(path: string, previous: string[], results: CaseResult[]) {
  const ran = new Set(results.map((result) => result.id));
  const kept = previous.filter((id) => !ran.has(id));
  const passed = results.filter((result) => result.outcome === 'passed').map((result) => result.id);
  const passes = [...new Set([...kept, ...passed])].sort();
  const file: ExpectedPasses = { note: NOTE, passes };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
