import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { faultmeshVersion, nodeName, platformName } from './ctk-journal.js';
import type { Activity } from './experiment/activity-schema.js';
import type { Experiment } from './experiment/load-experiment.js';
import { masker } from './experiment/variables.js';
import type { ToleranceProbeRecord } from './providers/probe-tolerance.js';
import type { PythonLogs } from './python/call-python.js';
import type { EmergencyHalt } from './stop-reason.js';
import type { Timeseries } from './timeseries.js';

export type { EjectionMark, MeshActivity, MetricPoint, Place, ProxyName, Timeseries } from './timeseries.js';

/**
 * Chaos Toolkit's run statuses, with their meaning (`completed` also when
 * the run deviated: `deviated` says that), and `running` until the end.
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'aborted' | 'interrupted';
export type Section = 'hypothesis' | 'method' | 'safeguard' | 'rollback';

/** What one activity did: records, not exceptions, so a run reads top to bottom. */
export interface ActivityRecord {
  readonly activity: Activity;
  readonly section: Section;
  /**
   * `failed`: the provider itself failed (unreachable, timed out); an output outside tolerance is `succeeded` with `tolerance_met: false`.
   * On disk `interrupted` is written `failed` with `interrupted: true`, as Chaos Toolkit's journal knows only the other two.
   */
  readonly status: 'succeeded' | 'failed' | 'interrupted';
  readonly output?: unknown;
  readonly error?: string;
  /** Why a provider failed, as chaoslib's `exception`: a Python provider's traceback lines, else one line `"<ErrorName>: <message>\n"`. */
  readonly exception?: readonly string[];
  readonly start: string;
  readonly end: string;
  readonly duration: number;
  readonly tolerance?: string;
  readonly tolerance_met?: boolean;
  /** What the tolerance looked at (a target field, a status), so readers see the value that decided. */
  readonly value?: unknown;
  /** A probe tolerance's own run (runner/providers/probe-tolerance.ts): its output, or why it failed. */
  readonly tolerance_probe?: ToleranceProbeRecord;
  /** What a python provider printed (the last MiB of each stream), when it printed anything. */
  readonly logs?: PythonLogs;
}

export interface HypothesisRecord {
  readonly at: string;
  readonly met: boolean;
  readonly probes: readonly ActivityRecord[];
}

/** A fault this run injected: where, for how long it held, and what it did there. */
export interface FaultRecord {
  readonly id: string;
  readonly activity: string;
  readonly rule: unknown;
  readonly admins: readonly string[];
  /** Of `admins`, the control planes (their /healthz says `role: control`): the fault went through them to their proxies. */
  readonly controls?: readonly string[];
  /** The ids of the proxies that had applied it when it was removed, as its control planes said (absent without one). */
  appliedBy?: string[];
  injectedAt: string;
  removedAt?: string;
  /** How long it held everywhere it was put: until the runner removed it, or until the latest time it can have held where it was lost (`lost.at`). */
  heldMs?: number;
  /**
   * `held` while in place; `removed` by the runner, confirmed by every proxy;
   * `lost` when a proxy dropped it before the runner removed it (see `lost`);
   * `unconfirmed` when a proxy could not be reached to remove it (its lease ends it).
   */
  state: 'held' | 'removed' | 'lost' | 'unconfirmed';
  /** Where a proxy no longer held it, and why; `at` is the latest time it can still have held there (a restart's start time, one lease after the last renewal, or when it was found gone). */
  lost?: FaultLoss;
  /** Summed over its proxies; where a proxy lost it or could not be reached, as last read there (see `countedUntil`). */
  counts?: { matched: number; hit: number };
  /** Set when some proxy's counts are known only up to this time (a restart takes them along): requests after it are not counted. */
  countedUntil?: string;
  errors: string[];
}

/**
 * Why a proxy no longer holds a fault: it restarted (its start time changed),
 * an operator halted it, the fault's lease ran out or it was removed by
 * hand (the proxy answered 404 while neither restarted nor halted), or
 * renewals failed for a whole lease (so the proxy dropped it, if it lives).
 */
export type LossCause = 'proxy restarted' | 'proxy halted' | 'lease missed' | 'lease ran out while the proxy was unreachable' | 'lease ran out while renewals failed';

export interface FaultLoss {
  readonly admin: string;
  readonly at: string;
  readonly cause: LossCause;
}

/**
 * The journal: its shape is fixed up front and it is rewritten as the run
 * goes, so a crash leaves a readable one. It carries Chaos Toolkit's
 * fields too, and on disk its records are in Chaos Toolkit's form
 * (runner/ctk-journal.ts). Fields marked "new" are absent from older
 * journals, which reports still read.
 */
export interface Journal {
  /** The format's marker and version: a faultmesh journal. */
  readonly faultmesh: 1;
  /** The faultmesh that wrote it (new). */
  readonly 'faultmesh-version'?: string;
  /** Chaos Toolkit's field, given faultmesh's version, as no chaoslib ran (new). */
  readonly 'chaoslib-version'?: string;
  /** The machine, as Python's platform.platform() and platform.node() name it (new). */
  readonly platform?: string;
  readonly node?: string;
  readonly runId: string;
  /** The experiment as its file wrote it, `${}` left as written (Chaos Toolkit's `experiment`); `title`, `file`, `description` and `tags` as faultmesh read them. */
  readonly experiment: { readonly title: string; readonly file: string; readonly description?: string | undefined; readonly tags: readonly string[]; readonly [key: string]: unknown };
  readonly start: string;
  end: string | null;
  duration: number | null;
  status: RunStatus;
  deviated: boolean;
  /** The phase the run was in when the journal was last written. */
  phase: 'hypothesis-before' | 'method' | 'hypothesis-after' | 'revert' | 'rollbacks' | 'done';
  stoppedBy: string | null;
  /** Set when an emergency halt on one of the run's admins stopped it: a game day halts as a whole on it. */
  emergencyHalt: EmergencyHalt | null;
  steady_states: { before: HypothesisRecord | null; during: HypothesisRecord[]; after: HypothesisRecord | null };
  /** Records of the method's activities in method order (background ones included), as chaoslib writes them, whenever each one ended. */
  run: ActivityRecord[];
  safeguards: ActivityRecord[];
  faults: FaultRecord[];
  rollbacks: ActivityRecord[];
  /** Why the declared rollbacks did not run (`strategy default, and the hypothesis failed fast`); null when they ran or there are none (new). */
  rollbacksSkipped?: string | null;
  errors: Array<{ readonly phase: string; readonly message: string }>;
  /** Samples of the mesh for charts: the proxies asked, and per destination a point every `intervalMs`. */
  timeseries: Timeseries;
}

export function newJournal(experiment: Experiment, runId: string, now: Date): Journal {
  return {
    faultmesh: 1,
    'faultmesh-version': faultmeshVersion(),
    'chaoslib-version': faultmeshVersion(),
    platform: platformName(),
    node: nodeName(),
    runId,
    experiment: { ...experiment.document, title: experiment.title, file: experiment.file, description: experiment.description, tags: experiment.tags },
    start: now.toISOString(),
    end: null,
    duration: null,
    status: 'running',
    deviated: false,
    phase: 'hypothesis-before',
    stoppedBy: null,
    emergencyHalt: null,
    steady_states: { before: null, during: [], after: null },
    run: [],
    safeguards: [],
    faults: [],
    rollbacks: [],
    rollbacksSkipped: null,
    errors: [],
    timeseries: { intervalMs: 0, admins: [], destinations: {} },
  };
}

/**
 * Exit codes: 0 the hypothesis held, 1 deviated or failed, 3 aborted by a
 * safeguard or interrupted (2 is invalid input). A method activity that
 * failed leaves the run `completed`, so it exits 0 as `chaos run` does;
 * the verdict says what was not tested.
 */
export function exitCodeOf(journal: Journal): number {
  if (journal.status === 'aborted' || journal.status === 'interrupted') return 3;
  return journal.status === 'completed' && !journal.deviated ? 0 : 1;
}

/**
 * Writes the journal atomically (a temporary file renamed over the last
 * one), with every secret value masked, so a reader or a crash never sees
 * half a file.
 */
export class JournalWriter {
  /** Makes the journal's folder; throws at once, before anything runs, if it cannot be written there. */
  constructor(
    readonly path: string,
    private readonly secrets: readonly string[],
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Any journal: an experiment's, or a canary's. */
  write(journal: object): void {
    const masked = masker(this.secrets);
    const mask = (_key: string, value: unknown) => (typeof value === 'string' && this.secrets.length ? masked(value) : value);
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(journal, mask, 2)}\n`);
    renameSync(tmp, this.path);
  }
}
