import { writeFileSync } from 'node:fs';
import type { CaseResult } from './results.js';

/** Figures of one case directory, over both passes. */
export interface DirectoryRow {
  dir: string;
  cases: number;
  passed: number;
  failed: number;
  excluded: number;
  /** Passed cases whose error messages matched too. */
  messagesMatched: number;
}

export function directoryRows(results: CaseResult[]): DirectoryRow[] {
  const rows = new Map<string, DirectoryRow>();
  for (const result of results) {
    let row = rows.get(result.dir);
    if (row === undefined) {
      row = { dir: result.dir, cases: 0, passed: 0, failed: 0, excluded: 0, messagesMatched: 0 };
      rows.set(result.dir, row);
    }
    row.cases += 1;
    row[result.outcome] += 1;
    if (result.outcome === 'passed' && result.messageMatch === true) {
      row.messagesMatched += 1;
    }
  }
  return [...rows.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Formats the per-directory table, a totals row last. */
export function formatTable(rows: DirectoryRow[]): string {
  const header = ['directory', 'cases', 'passed', 'failed', 'excluded', 'messages ok'];
  const total: DirectoryRow = {
    dir: 'total',
    cases: 0,
    passed: 0,
    failed: 0,
    excluded: 0,
    messagesMatched: 0,
  };
  for (const row of rows) {
    total.cases += row.cases;
    total.passed += row.passed;
    total.failed += row.failed;
    total.excluded += row.excluded;
    total.messagesMatched += row.messagesMatched;
  }
  const cells = [...rows, total].map((row) => [
    row.dir,
    ...[row.cases, row.passed, row.failed, row.excluded, row.messagesMatched].map(String),
  ]);
  const widths = header.map((name, column) =>
    Math.max(name.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: string[]) =>
    line
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    format(header),
    rule,
    ...cells.slice(0, -1).map(format),
    rule,
    format(cells.at(-1) ?? []),
  ].join('\n');
}

/** Lists exclusions by reason, naming each class (with its case count) once per pass. */
export function formatExclusions(results: CaseResult[]): string {
  const byReason = new Map<string, Map<string, number>>();
  for (const result of results) {
    if (result.outcome !== 'excluded') {
      continue;
    }
    const reason = result.reason ?? 'no reason given';
    const classes = byReason.get(reason) ?? new Map<string, number>();
    const label = `${result.classId}${result.pass === 'plain' ? '' : ' [admin-secret]'}`;
    classes.set(label, (classes.get(label) ?? 0) + 1);
    byReason.set(reason, classes);
  }
  const lines: string[] = [];
  for (const [reason, classes] of byReason) {
    lines.push(`Excluded: ${reason}`);
    for (const [label, count] of classes) {
      lines.push(`  ${label} (${count} ${count === 1 ? 'case' : 'cases'})`);
    }
  }
  return lines.join('\n');
}

/** Returns a short cause for a failed case, so failures can be counted by what the engine lacks. */
export function failureCause(result: CaseResult): string {
  if (result.reason !== undefined) {
    return reasonCause(result.reason);
  }
  const failing = result.requests.at(-1);
  if (failing === undefined) {
    return 'no request was sent';
  }
  if (failing.error !== undefined) {
    return `request failed: ${failing.error.slice(0, 120)}`;
  }
  if (failing.refusals.length > 0) {
    return `${failing.url.split('?')[0]} not refused ${failing.refusals[0] ?? ''}`;
  }
  if (failing.actualStatus !== failing.expectedStatus) {
    return `${failing.url}: status ${failing.actualStatus}, expected ${failing.expectedStatus}`;
  }
  const difference = failing.differences.find((item) => item.kind === 'shape');
  return `${failing.url}: ${difference?.note ?? 'body differs'}`;
}

/**
 * Shortens a setup failure to the phase and the engine's error text, leaving out the file, so
 * one missing command is counted once across the classes it breaks.
 */
function reasonCause(reason: string): string {
  const phase = /^(class setup|per-case setup|class could not start)/.exec(reason)?.[1];
  const error = /"error":"((?:[^"\\]|\\.)*)"/.exec(reason)?.[1];
  if (phase !== undefined && error !== undefined) {
    return `${phase} failed: ${error.replaceAll('\\"', '"')}`;
  }
  return (reason.split('\n')[0] ?? reason).slice(0, 160);
}

/** Counts failure causes, most frequent first. */
export function failureCauses(results: CaseResult[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const result of results) {
    if (result.outcome === 'failed') {
      const cause = failureCause(result);
      counts.set(cause, (counts.get(cause) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

export interface JsonReport {
  folder: string;
  startedAt: string;
  finishedAt: string;
  passes: string[];
  totals: { passed: number; failed: number; excluded: number; messagesMatched: number };
  directories: DirectoryRow[];
  notes: Record<string, string[]>;
  results: CaseResult[];
}

export function writeJsonReport(path: string, report: JsonReport): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
