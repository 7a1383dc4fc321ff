import { randomBytes } from 'node:crypto';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { realTimers, type Timers } from '../../proxy/core/timers.js';
import { type RunEvents } from '../../runner/events.js';
import type { ActivityRecord, HypothesisRecord } from '../../runner/journal.js';
import { verdictOf } from '../../runner/verdict.js';
import type { RunBody } from './run-schema.js';

export interface RunPublisherOptions {
  /** The control plane the run's faults go through (`configuration.control`). */
  readonly control: string;
  readonly token?: string | undefined;
  /** The experiment's title, as the dashboard names the run. */
  readonly name: string;
  readonly kind?: RunBody['kind'];
  /** The game day this run belongs to, if any. */
  readonly gameday?: string | undefined;
  /** Where the report will be written: an http(s) URL is linked from the page, a path is shown. */
  readonly report?: string | undefined;
  /** The record's lease while the run lives: it ends that long after the runner dies (default 10 s). */
  readonly leaseMs?: number | undefined;
  /** How long a finished run stays listed, with its verdict and report (default 1 h). */
  readonly keepFinishedMs?: number | undefined;
  /** Hides the experiment's secrets in probe values, as the progress printer does. */
  readonly mask?: ((s: string) => string) | undefined;
  /** Told once per distinct failure; the run never waits on the dashboard. */
  readonly onError?: ((message: string) => void) | undefined;
  readonly id?: string | undefined;
  /** The renewals' timers and the clock of startedAt/endedAt. */
  readonly timers?: Timers | undefined;
}

/** A probe record as the page shows it: its value, what it was held against, and whether it held. */
function probeOf(p: ActivityRecord, when: 'before' | 'during' | 'after', mask: (s: string) => string): RunBody['probes'][number] {
  const raw = p.value ?? p.output;
  const value = raw === undefined || raw === null ? null : typeof raw === 'number' || typeof raw === 'boolean' ? raw : mask(typeof raw === 'string' ? raw : JSON.stringify(raw)).slice(0, 500);
  return { name: p.activity.name.slice(0, 200), value, ...(p.tolerance ? { tolerance: mask(String(p.tolerance)).slice(0, 500) } : {}), ok: p.tolerance_met ?? (p.status === 'succeeded' ? null : false), when };
}

/**
 * A subscriber (RunEvents) that tells the control plane what the run is
 * doing, so its dashboard shows the run, its phase and probes, and names it
 * as the holder of its faults: PUT /v1/runs/:id under a lease of its own,
 * renewed while the run lives. Isolated like every subscriber: a control
 * plane that refuses or is gone costs one warning, never the run.
 *
 * @example events: combine(progressPrinter(process.stderr, mask), runPublisher({ control, token, name: experiment.title }))
 */
export function runPublisher(o: RunPublisherOptions): RunEvents & { close(): Promise<void> } {
  const id = o.id ?? `run-${randomBytes(4).toString('hex')}`;
  const timers = o.timers ?? realTimers;
  const now = () => timers.now();
  const leaseMs = o.leaseMs ?? 10_000;
  const mask = o.mask ?? ((s: string) => s);
  const said = new Set<string>();
  const fail = (message: string) => {
    if (said.has(message)) return;
    said.add(message);
    (o.onError ?? ((m: string) => process.emitWarning(m, 'DashboardWarning')))(message);
  };
  const record: Omit<RunBody, 'lease' | 'ttl'> = { kind: o.kind ?? 'experiment', name: o.name.slice(0, 200), state: 'running', phase: 'starting', startedAt: new Date(now()).toISOString(), probes: [], faults: [], ...(o.gameday ? { gameday: o.gameday } : {}), ...(o.report ? { report: o.report } : {}) };
  const probes = new Map<string, RunBody['probes'][number]>();
  let lease: Promise<string | undefined> | undefined;
  let renewer: unknown;
  let sending: Promise<void> | undefined;
  let again = false;
  let finished = false;
  /** No more renewals: the record ends with its lease. */
  let closed = false;

  const leaseOnce = () =>
    (lease ??= (async () => {
      const r = await callAdmin(o.control, 'POST', '/v1/leases', o.token, { ttl: `${leaseMs}ms` });
      if (!isOk(r) || typeof r.body.id !== 'string') {
        fail(`the run is not shown on the control plane's dashboard: ${describeFailure(r)}`);
        return undefined;
      }
      const held = r.body.id;
      // Renewed at a third of its ttl, as the runner's own leases are; a renewal that fails is tried at the next turn.
      const renew = () => {
        renewer = timers.setTimeout(() => {
          if (finished || closed) return;
          void callAdmin(o.control, 'POST', `/v1/leases/${held}/renew`, o.token).finally(() => !(finished || closed) && renew());
        }, Math.max(200, leaseMs / 3));
      };
      renew();
      return held;
    })());

  /** One PUT at a time; changes meanwhile are sent once it is answered, as one more PUT. */
  const publish = (): Promise<void> => {
    if (sending) {
      again = true;
      return sending;
    }
    sending = (async () => {
      const held = finished ? undefined : await leaseOnce();
      if (!finished && held === undefined) return;
      const body = { ...record, probes: [...probes.values()].slice(-100), ...(finished ? { ttl: `${o.keepFinishedMs ?? 3_600_000}ms` } : { lease: held }) };
      const r = await callAdmin(o.control, 'PUT', `/v1/runs/${id}`, o.token, body);
      if (!isOk(r)) fail(`the dashboard was not told of the run: ${describeFailure(r)}`);
    })().finally(() => {
      sending = undefined;
      if (again) {
        again = false;
        void publish();
      }
    });
    return sending;
  };

  const checked = (when: 'before' | 'during' | 'after', h: HypothesisRecord) => {
    for (const p of h.probes) probes.set(`${when}:${p.activity.name}`, probeOf(p, when, mask));
    void publish();
  };

  return {
    phase(phase) {
      record.phase = phase;
      void publish();
    },
    hypothesisChecked: checked,
    faultInjected(fault) {
      if (record.faults.length < 1000) record.faults.push(fault.id);
      void publish();
    },
    stopped(reason) {
      record.verdict = mask(`stopped: ${reason}`).slice(0, 2000);
      void publish();
    },
    async runEnded(journal) {
      finished = true;
      timers.clearTimeout(renewer);
      Object.assign(record, { state: 'finished', phase: journal.phase, verdict: mask(verdictOf(journal)).slice(0, 2000), endedAt: new Date(now()).toISOString() });
      await sending;
      await publish();
      // The finished record hangs on a lease of its own now: the run's can go.
      const held = await lease;
      if (held) await callAdmin(o.control, 'DELETE', `/v1/leases/${held}`, o.token);
    },
    async close() {
      closed = true;
      timers.clearTimeout(renewer);
      await sending;
    },
  };
}

/** Kept here for the commands that compose progress with a publisher; it lives in runner/events.ts. */
