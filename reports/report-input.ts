import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CanaryJournal } from '../runner/canary/canary-types.js';
import type { ActivityRecord, EjectionMark, Journal, MeshActivity, Place, ProxyName } from '../runner/journal.js';
import { isCanaryJournal, normalizeCanaryJournal } from './canary/canary-journal.js';
import { salvageJson } from './salvage-json.js';

/**
 * What a report is made from: one run's journal, a game day's folder of
 * them, or a canary release's journal (`cutShort` when the file was cut
 * off mid-write and the report shows what could be read of it).
 */
export type ReportInput =
  | { readonly kind: 'run'; readonly journal: Journal }
  | { readonly kind: 'gameday'; readonly title: string; readonly journals: readonly Journal[]; readonly notes: readonly string[]; readonly label: SummaryLabel }
  | { readonly kind: 'canary'; readonly journal: CanaryJournal; readonly cutShort?: boolean };

/** What a folder's summary is: a game day's, or the demo's (its `gameday.json` says `"kind": "demo"`). */
export type SummaryLabel = 'Game day' | 'Demo';

/** A path that holds no readable journal: bad input, which the CLI reports with exit 2. */
export class ReportInputError extends Error {
  readonly code = 'USAGE';
  override readonly name = 'ReportInputError';
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Records cut short (a journal cut off mid-write) lack fields a report needs: they are left out. */
const isActivityRecord = (r: unknown): r is Record<string, unknown> => isRecord(r) && isRecord(r.activity) && typeof r.activity.name === 'string' && isRecord(r.activity.provider) && typeof r.status === 'string' && typeof r.duration === 'number' && typeof r.start === 'string' && typeof r.end === 'string';
/**
 * A record as faultmesh reads it. Whether `activity` is the file's own form
 * (journals in Chaos Toolkit's shape) or the parsed one (older journals),
 * reports read only its name, type and provider type. An interrupted
 * activity is written `failed` with `interrupted: true`, Chaos Toolkit's
 * journal having no such status; older journals say `interrupted`.
 */
const activityRecord = (r: Record<string, unknown>) => (r.interrupted === true ? { ...r, status: 'interrupted' } : r);
const activityRecords = (v: unknown): ActivityRecord[] => (Array.isArray(v) ? (v.filter(isActivityRecord).map(activityRecord) as unknown as ActivityRecord[]) : []);
const hypothesisRecord = (v: unknown) => (isRecord(v) && typeof v.at === 'string' && typeof v.met === 'boolean' ? { ...v, probes: activityRecords(v.probes) } : null);
const isFaultRecord = (f: unknown): boolean => isRecord(f) && typeof f.id === 'string' && typeof f.injectedAt === 'string' && Array.isArray(f.admins) && isRecord(f.rule) && typeof f.state === 'string' && Array.isArray(f.errors);

const orNull = (v: unknown) => (typeof v === 'number' ? v : null);
/** A map of counts, keeping only numbers. */
const counts = (v: unknown): Record<string, number> => (isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number')) : {});
function activity(v: unknown): MeshActivity | undefined {
  if (!isRecord(v) || typeof v.requests !== 'number' || typeof v.errors !== 'number') return undefined;
  return { requests: v.requests, errors: v.errors, retries: counts(v.retries), faulted: counts(v.faulted), instances: counts(v.instances) };
}
/** Each destination's samples, keeping only whole ones; `from` and `activity` when a newer faultmesh wrote them. */
function points(destinations: Record<string, unknown>): Journal['timeseries']['destinations'] {
  return Object.fromEntries(
    Object.entries(destinations).map(([name, list]) => [
      name,
      (Array.isArray(list) ? list : [])
        .filter((p) => isRecord(p) && typeof p.t === 'string' && typeof p.rate === 'number')
        .map((p) => {
          const a = activity(p.activity);
          return { t: p.t, ...(typeof p.from === 'string' ? { from: p.from } : {}), rate: p.rate, errorRatio: orNull(p.errorRatio), p50Ms: orNull(p.p50Ms), p99Ms: orNull(p.p99Ms), ...(a ? { activity: a } : {}) };
        }),
    ]),
  );
}

const isEjection = (e: unknown): e is EjectionMark => isRecord(e) && ['at', 'from', 'destination', 'instance', 'reason', 'by'].every((k) => typeof e[k] === 'string');
const isName = (n: unknown): n is ProxyName => isRecord(n) && typeof n.url === 'string' && (n.role === 'proxy' || n.role === 'control') && (n.proxies === undefined || Array.isArray(n.proxies));

/** The timeseries, with the fields newer journals add (ejections, names, places) only when whole. */
function timeseries(ts: Record<string, unknown>): Journal['timeseries'] {
  const out: Journal['timeseries'] = { intervalMs: Number(ts.intervalMs ?? 0), admins: Array.isArray(ts.admins) ? ts.admins.filter((a) => typeof a === 'string') : [], destinations: isRecord(ts.destinations) ? points(ts.destinations) : {} };
  if (Array.isArray(ts.ejections)) out.ejections = ts.ejections.filter(isEjection);
  if (Array.isArray(ts.names)) out.names = ts.names.filter(isName).map((n) => ({ ...n, proxies: (n.proxies ?? []).filter((p) => isRecord(p) && typeof p.id === 'string') }));
  if (isRecord(ts.places)) out.places = Object.fromEntries(Object.entries(ts.places).filter((e): e is [string, Record<string, Place>] => isRecord(e[1])));
  return out;
}

/**
 * A journal as read from disk, with every section present: a run that was
 * killed early, or a journal from an older faultmesh, may lack some.
 */
export function normalizeJournal(raw: unknown, file: string): Journal {
  if (!isRecord(raw) || raw.faultmesh !== 1 || !isRecord(raw.experiment) || typeof raw.start !== 'string') {
    throw new ReportInputError(`${file}: not a faultmesh journal (it needs "faultmesh": 1, "experiment" and "start")`);
  }
  const ss = isRecord(raw.steady_states) ? raw.steady_states : {};
  const ts = isRecord(raw.timeseries) ? raw.timeseries : {};
  return {
    ...(raw as unknown as Journal),
    status: (raw.status as Journal['status']) ?? 'running',
    deviated: raw.deviated === true,
    end: (raw.end as string | null) ?? null,
    duration: typeof raw.duration === 'number' ? raw.duration : null,
    phase: (raw.phase as Journal['phase']) ?? 'hypothesis-before',
    stoppedBy: (raw.stoppedBy as string | null) ?? null,
    steady_states: {
      before: hypothesisRecord(ss.before) as Journal['steady_states']['before'],
      during: (Array.isArray(ss.during) ? ss.during.map(hypothesisRecord).filter(Boolean) : []) as unknown as Journal['steady_states']['during'],
      after: hypothesisRecord(ss.after) as Journal['steady_states']['after'],
    },
    run: activityRecords(raw.run) as Journal['run'],
    safeguards: activityRecords(raw.safeguards) as Journal['safeguards'],
    faults: (Array.isArray(raw.faults) ? raw.faults.filter(isFaultRecord) : []) as Journal['faults'],
    rollbacks: activityRecords(raw.rollbacks) as Journal['rollbacks'],
    errors: Array.isArray(raw.errors) ? raw.errors.filter((e) => isRecord(e) && typeof e.message === 'string') : [],
    timeseries: timeseries(ts),
  };
}

/** One journal file: a canary's (it says `"kind": "canary"`) or an experiment run's. */
function readJournalFile(file: string): Exclude<ReportInput, { kind: 'gameday' }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReportInputError(`${file}: cannot read the journal: ${(err as Error).message}`);
  }
  let raw: unknown;
  let cutShort = false;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // Cut off mid-write: report what it holds, as a run that did not finish.
    raw = salvageJson(text);
    cutShort = true;
    if (raw === undefined) throw new ReportInputError(`${file}: cannot read the journal: ${(err as Error).message}`);
  }
  if (isCanaryJournal(raw)) {
    const journal = normalizeCanaryJournal(raw);
    if (!journal) throw new ReportInputError(`${file}: not a faultmesh canary journal (it needs "faultmesh": 1, "kind": "canary" and "start")`);
    return { kind: 'canary', journal, cutShort };
  }
  const journal = normalizeJournal(raw, file);
  return { kind: 'run', journal: cutShort ? { ...journal, status: 'running', end: null, duration: null } : journal };
}

function readJournal(file: string): Journal {
  const input = readJournalFile(file);
  if (input.kind !== 'run') throw new ReportInputError(`${file}: a canary journal, not an experiment run's`);
  return input.journal;
}

/**
 * Reads a journal file (an experiment run's or a canary's), or a game day's
 * folder: every experiment journal in it, in the order the runs started.
 * A folder's `gameday.json`, when present, gives the title.
 */
export function readReportInput(path: string): ReportInput {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new ReportInputError(`${path}: no such journal or folder`);
  }
  if (!isDir) return readJournalFile(path);
  let title = basename(path);
  let label: SummaryLabel = 'Game day';
  const notes: string[] = [];
  const summary = join(path, 'gameday.json');
  const files = readdirSync(path).filter((f) => f.endsWith('.json') && f !== 'gameday.json');
  try {
    const g = JSON.parse(readFileSync(summary, 'utf8')) as { gameday?: unknown; kind?: unknown; haltedBy?: { by: string; at: string } | null; results?: Record<string, { status: string; reason?: string }> };
    if (typeof g.gameday === 'string') title = g.gameday;
    if (g.kind === 'demo') label = 'Demo';
    if (g.haltedBy) notes.push(`Emergency halt by ${g.haltedBy.by} at ${g.haltedBy.at}.`);
    for (const [key, r] of Object.entries(g.results ?? {})) if (r.status !== 'done') notes.push(`${key}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
  } catch {
    // No summary yet: the folder name will do.
  }
  const journals = files
    .map((f) => {
      try {
        return readJournal(join(path, f));
      } catch {
        return undefined; // Other JSON files (a report's data, say) are not runs.
      }
    })
    .filter((j): j is Journal => j !== undefined)
    .sort((a, b) => a.start.localeCompare(b.start));
  if (journals.length === 0 && notes.length === 0) throw new ReportInputError(`${path}: no faultmesh journal in this folder`);
  return { kind: 'gameday', title, journals, notes, label };
}
