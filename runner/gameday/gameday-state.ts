import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Outcome } from '../../reports/report-model.js';
import type { Occurrence } from './plan.js';

export type ResultStatus = 'running' | 'done' | 'crashed' | 'skipped' | 'cancelled';

export interface RunResult {
  status: ResultStatus;
  startedAt?: string;
  endedAt?: string;
  journal?: string;
  report?: string;
  outcome?: Outcome;
  verdict?: string;
  /** Why it did not run, or did not finish. */
  reason?: string;
}

export interface HaltRecord {
  readonly source: 'signal' | 'halt-file' | 'proxy' | 'control';
  readonly by: string;
  readonly at: string;
  /** The proxy or control plane whose halt it was, for a halt made there. */
  readonly admin?: string;
}

/**
 * The game day's record, `gameday.json` in its folder: the planned starts,
 * what became of each, and who halted it. Rewritten atomically at each
 * change, so a runner started again after a crash picks up from it.
 */
export interface GamedayState {
  readonly gameday: string;
  readonly file: string;
  readonly timezone: string;
  readonly admins: readonly string[];
  readonly createdAt: string;
  readonly occurrences: ReadonlyArray<Omit<Occurrence, 'due'> & { readonly due: string }>;
  readonly results: Record<string, RunResult>;
  haltedBy: HaltRecord | null;
  finishedAt: string | null;
}

export const stateFile = (dir: string) => join(dir, 'gameday.json');

export function readState(dir: string): GamedayState | undefined {
  if (!existsSync(stateFile(dir))) return undefined;
  return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as GamedayState;
}

export function writeState(dir: string, state: GamedayState): void {
  const tmp = `${stateFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, stateFile(dir));
}
