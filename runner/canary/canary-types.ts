/**
 * The shapes a canary release shares between its parts: the measurements
 * the proxies give per subset, the checks and judgements made from them,
 * and the journal the run writes and reports read. Plain data, JSON as is.
 */

/** One latency bucket of a subset's histogram: attempts at or under `leMs` and above the previous bucket's bound (not cumulative). */
export interface Bucket {
  /** Upper bound in milliseconds; Infinity for the last (+Inf) bucket. */
  readonly leMs: number;
  readonly count: number;
}

/** What one subset did over a window, summed over every proxy that calls the service. */
export interface SubsetWindow {
  /** Attempts sent to the subset's instances. */
  readonly requests: number;
  /** Of those: answered 5xx, timed out or reset (a cancelled attempt is neither, and is not counted at all). */
  readonly errors: number;
  /** Latency of answered and timed-out attempts, by bucket, ascending; empty without one. */
  readonly buckets: readonly Bucket[];
}

/** The analysis settings a judgement needs, as the canary file gives them (defaults filled). */
export interface AnalysisSettings {
  /** Below this many attempts in either subset, the window is "insufficient", never a pass. */
  readonly minRequests: number;
  /** For every test and interval, for example 0.95. */
  readonly confidence: number;
  readonly errorRatio?: { readonly maxIncrease: number };
  readonly latency?: { readonly quantile: number; readonly maxRatio: number };
}

export type CheckOutcome = 'pass' | 'fail' | 'insufficient';

export interface ProportionSummary {
  readonly requests: number;
  readonly errors: number;
  /** errors / requests; null without requests. */
  readonly ratio: number | null;
}

/** Canary's error ratio against stable's: a one-sided exact test and the difference with its interval. */
export interface ErrorRatioCheck {
  readonly metric: 'error-ratio';
  readonly outcome: CheckOutcome;
  readonly stable: ProportionSummary;
  readonly canary: ProportionSummary;
  /** canary ratio − stable ratio (null when either has no request). */
  readonly difference: number | null;
  /** Two-sided interval of the difference at `confidence` (Newcombe's hybrid score method). */
  readonly ci: readonly [number, number] | null;
  /** One-sided p-value that the canary's ratio is higher than stable's (Fisher's exact test). */
  readonly pValue: number | null;
  readonly test: 'fisher-exact';
  readonly maxIncrease: number;
  readonly confidence: number;
  /** One sentence with the values, for the journal and the console. */
  readonly reason: string;
}

/** Canary's latency distribution against stable's. */
export interface LatencyCheck {
  readonly metric: 'latency';
  readonly outcome: CheckOutcome;
  readonly quantile: number;
  readonly stableMs: number | null;
  readonly canaryMs: number | null;
  /** canaryMs / stableMs. */
  readonly ratio: number | null;
  /** Interval of the ratio at `confidence`, from distribution-free intervals of each quantile. */
  readonly ratioCi: readonly [number, number] | null;
  readonly maxRatio: number;
  /** Mann–Whitney U on the histogram buckets (ties within a bucket), one-sided: canary slower. */
  readonly mannWhitney: { readonly u: number; readonly z: number; readonly pValue: number; readonly probabilityCanarySlower: number } | null;
  readonly stableRequests: number;
  readonly canaryRequests: number;
  readonly confidence: number;
  readonly reason: string;
}

/** An extra gate: an experiment probe and its tolerance. */
export interface ProbeCheck {
  readonly metric: 'probe';
  readonly name: string;
  readonly outcome: CheckOutcome;
  readonly value: unknown;
  readonly tolerance: string;
  readonly reason: string;
}

export type Check = ErrorRatioCheck | LatencyCheck | ProbeCheck;

/** One decision on one window of one step. */
export interface Judgement {
  readonly at: string;
  readonly step: number;
  readonly weight: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** fail if any check failed; insufficient if none failed and one lacked data; pass otherwise. */
  readonly outcome: CheckOutcome;
  readonly checks: readonly Check[];
  readonly reason: string;
  /** Failed checks so far in the run, this one included. */
  readonly failedChecks: number;
}

/** Per subset, one point per sample (every few seconds), for the report's charts. */
export interface SubsetPoint {
  readonly rate: number;
  readonly errorRatio: number | null;
  readonly p99Ms: number | null;
}

export interface CanaryPoint {
  readonly t: string;
  readonly weight: number;
  readonly stable: SubsetPoint;
  readonly canary: SubsetPoint;
}

export interface ChaosStageRecord {
  readonly at: number;
  readonly experiment: string;
  readonly start: string;
  end: string | null;
  /** The experiment's journal status and whether its hypothesis deviated. */
  status: string;
  deviated: boolean;
  readonly journal: string | null;
  stoppedBy: string | null;
}

export type CanaryStatus = 'running' | 'promoted' | 'rolled-back' | 'aborted' | 'failed';

export interface CanaryDecision {
  readonly outcome: Exclude<CanaryStatus, 'running'>;
  /** "Rolled back at 10%: canary error ratio 4.1% vs stable 0.3% (+3.8 points, 95% CI +2.9..+4.7), 2 failed checks." */
  readonly sentence: string;
  readonly at: string;
  readonly weight: number;
}

export interface CanaryJournal {
  readonly faultmesh: 1;
  readonly kind: 'canary';
  readonly name: string;
  readonly file: string;
  readonly service: string;
  readonly route: number;
  readonly stable: Readonly<Record<string, string>>;
  readonly canary: Readonly<Record<string, string>>;
  readonly steps: readonly number[];
  readonly settings: AnalysisSettings & { readonly intervalMs: number; readonly failedChecks: number; readonly maxWaitMs: number };
  /** The control plane's URL, or the proxies' admin URLs, that the weights went through. */
  readonly via: { readonly control: string } | { readonly admins: readonly string[] };
  readonly start: string;
  end: string | null;
  status: CanaryStatus;
  /** What the run does now: "step 2 at 10%", "chaos at 10%", "holding 100% until the mesh is applied"... */
  phase: string;
  step: number;
  weight: number;
  /** Every weight change, first to last. */
  readonly weights: Array<{ readonly at: string; readonly weight: number }>;
  readonly judgements: Judgement[];
  readonly chaos: ChaosStageRecord[];
  readonly timeseries: CanaryPoint[];
  decision: CanaryDecision | null;
  /** After a promotion: what makes it permanent, and whether that happened. */
  promotion: { readonly command: string | null; readonly meshFile: string | null; applied: boolean; readonly note: string } | null;
  readonly errors: Array<{ readonly at: string; readonly message: string }>;
}
