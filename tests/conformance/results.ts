import type { Difference } from './compare.js';
import type { PassName } from './exclusions.js';

/** What happened to one request of a case. */
export interface RequestResult {
  index: number;
  url: string;
  expectedStatus: number;
  actualStatus: number | null;
  differences: Difference[];
  /** Problems of the admin secret pass: replies that were not refused without a valid secret. */
  refusals: string[];
  error?: string;
}

/** One case file (or one Python-only upstream test) in one pass. */
export interface CaseResult {
  /** `<class id>::<case path>`, with ` [admin-secret]` appended in the admin secret pass. */
  id: string;
  classId: string;
  dir: string;
  path: string;
  pass: PassName;
  outcome: 'passed' | 'failed' | 'excluded';
  /** True when error messages matched too; null when the case was not compared. */
  messageMatch: boolean | null;
  /** Why the case failed before its comparison, or why it is excluded. */
  reason?: string;
  requests: RequestResult[];
}

export function caseId(classId: string, path: string, pass: PassName): string {
  return pass === 'plain' ? `${classId}::${path}` : `${classId}::${path} [admin-secret]`;
}
