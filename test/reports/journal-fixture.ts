import type { ActivityRecord, HypothesisRecord, Journal, MetricPoint } from '../../runner/journal.js';

/**
 * Journals as a newer faultmesh writes them, made up so that every chart
 * and table has something to show: a region outage of payments through a
 * control plane, where checkout's sidecar retries, ejects payments-eu-1
 * and fails over to us-east. Times are seconds after T0.
 */
export const T0 = Date.parse('2026-12-01T09:15:00.000Z');
export const CONTROL = 'http://127.0.0.1:15100';
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const SUCCESS_PROBE = { type: 'probe', name: 'checkout-success-ratio', tolerance: { type: 'threshold', min: 0.99 }, provider: { type: 'metric', source: 'frontend', destination: 'checkout', measure: 'success-ratio', window: '4s' } };
const GUARD = { type: 'probe', name: 'checkout-success-above-90-percent', tolerance: { type: 'threshold', min: 0.9 }, provider: { type: 'metric', source: 'frontend', destination: 'checkout', measure: 'success-ratio', window: '2s' } };

export function probeRecord(activity: object, section: ActivityRecord['section'], from: number, to: number, value: number, met: boolean, tolerance = '>= 0.99'): ActivityRecord {
  return { activity: activity as ActivityRecord['activity'], section, status: 'succeeded', output: value, value, start: iso(from), end: iso(to), duration: to - from, tolerance, tolerance_met: met };
}

const check = (from: number, to: number, value: number, met = true): HypothesisRecord => ({ at: iso(from), met, probes: [probeRecord(SUCCESS_PROBE, 'hypothesis', from, to, value, met)] });

/** payments: eu-1 answers until the fault at 5s, is ejected at 6s; us-1 and us-2 take over. */
function paymentsPoint(s: number): MetricPoint {
  const faulted = s > 5 && s <= 9 ? 3 : 0;
  const eu = s <= 6 ? 4 : 0;
  return {
    t: iso(s),
    from: iso(s - 1),
    rate: 8,
    errorRatio: s === 6 ? 0.125 : 0,
    p50Ms: 4,
    p99Ms: s === 6 ? 480 : 12,
    activity: { requests: 8, errors: s === 6 ? 1 : 0, retries: faulted ? { '5xx': faulted } : {}, faulted: faulted ? { abort: faulted } : {}, instances: { 'payments-eu-1': eu, 'payments-us-1': (8 - eu) / 2, 'payments-us-2': (8 - eu) / 2 } },
  };
}

function checkoutPoint(s: number): MetricPoint {
  return { t: iso(s), from: iso(s - 1), rate: 8, errorRatio: s === 6 ? 0.125 : 0, p50Ms: 9, p99Ms: s === 6 ? 520 : 40, activity: { requests: 8, errors: s === 6 ? 1 : 0, retries: {}, faulted: {}, instances: { 'checkout-eu-1': 4, 'checkout-us-1': 4 } } };
}

/** The region outage, held; `over` changes any field. */
export function outageJournal(over: Partial<Journal> = {}): Journal {
  const seconds = Array.from({ length: 20 }, (_, i) => i + 1);
  const journal: Journal = {
    faultmesh: 1,
    runId: 'a1b2c3',
    experiment: { title: 'Payments fail over when a whole region goes down', file: 'experiments/payments-region-outage.yaml', tags: ['demo'] },
    start: iso(0),
    end: iso(21),
    duration: 21,
    status: 'completed',
    deviated: false,
    phase: 'done',
    stoppedBy: null,
    emergencyHalt: null,
    steady_states: { before: check(0.1, 4.2, 1), during: [], after: check(17, 21, 1) },
    run: [{ activity: { type: 'action', name: 'payments-region-down', provider: { type: 'fault' } } as unknown as ActivityRecord['activity'], section: 'method', status: 'succeeded', start: iso(4.3), end: iso(16.4), duration: 12.1 }],
    safeguards: [probeRecord(GUARD, 'safeguard', 4.3, 6.3, 0.9091, true, '>= 0.9'), probeRecord(GUARD, 'safeguard', 6.4, 8.4, 1, true, '>= 0.9')],
    faults: [
      {
        id: 'payments-region-down-a1b2c3-1',
        activity: 'payments-region-down',
        rule: { target: 'payments', match: { regions: ['eu-west'] }, abort: { status: 503 } },
        admins: [CONTROL],
        controls: [CONTROL],
        appliedBy: ['checkout-sidecar', 'ingress'],
        injectedAt: iso(4.3),
        removedAt: iso(16.4),
        heldMs: 12100,
        state: 'removed',
        counts: { matched: 12, hit: 12 },
        errors: [],
      },
    ],
    rollbacks: [],
    rollbacksSkipped: null,
    errors: [],
    timeseries: {
      intervalMs: 1000,
      admins: [CONTROL],
      destinations: { checkout: seconds.map(checkoutPoint), payments: seconds.map(paymentsPoint) },
      ejections: [{ at: iso(6), from: iso(5), destination: 'payments', instance: 'payments-eu-1', reason: 'consecutive-5xx', by: 'checkout-sidecar' }],
      names: [
        {
          url: CONTROL,
          role: 'control',
          proxies: [
            { id: 'checkout-sidecar', service: 'checkout', region: 'eu-west', zone: 'eu-west-1a' },
            { id: 'ingress', service: 'ingress' },
          ],
        },
      ],
      places: {
        payments: { 'payments-eu-1': { region: 'eu-west', zone: 'eu-west-1a' }, 'payments-us-1': { region: 'us-east', zone: 'us-east-1a' }, 'payments-us-2': { region: 'us-east', zone: 'us-east-1b' } },
        checkout: { 'checkout-eu-1': { region: 'eu-west', zone: 'eu-west-1a' }, 'checkout-us-1': { region: 'us-east', zone: 'us-east-1a' } },
      },
    },
  };
  return { ...journal, ...over };
}

/** The same run, deviated: the check after the method saw 0.97. */
export function deviatedJournal(): Journal {
  const j = outageJournal();
  return { ...j, runId: 'd4e5f6', deviated: true, steady_states: { ...j.steady_states, after: check(17, 21, 0.97, false) } };
}

/**
 * A run that crowds every chart: six destinations with long names, three
 * overlapping fault windows, ejections a moment apart, and a failed method
 * activity. Legends must wrap and labels find room.
 */
export function crowdedJournal(): Journal {
  const j = outageJournal();
  const names = ['payments', 'inventory-reservations', 'recommendations-engine', 'customer-notifications', 'fraud-screening-v2', 'shipping-quotes-eu'];
  const destinations = Object.fromEntries(names.map((n) => [n, j.timeseries.destinations.payments!.map((p) => ({ ...p, activity: { ...p.activity!, retries: { '5xx': 1, reset: 1, 'gateway-error': 1 }, instances: { [`${n}-eu-west-1a-instance-1`]: 3, [`${n}-us-east-1b-instance-2`]: 5 } } }))]));
  const fault = j.faults[0]!;
  const faults = ['payments-region-down-with-a-long-activity-name', 'inventory-latency', 'fraud-screening-resets'].map((activity, i) => ({ ...fault, id: `${activity}-1`, activity, rule: { target: names[i * 2]! }, injectedAt: iso(4 + i), removedAt: iso(18 + i) }));
  const ejections = [5, 5.2, 5.4, 5.6, 9].map((s, i) => ({ at: iso(s + 1), from: iso(s), destination: names[i % 2]!, instance: `${names[i % 2]}-eu-west-1a-instance-${i}`, reason: 'consecutive-5xx', by: 'checkout-sidecar' }));
  return { ...j, runId: 'c0ffee', faults, run: [{ ...j.run[0]!, status: 'failed', error: 'exit 1' }], timeseries: { ...j.timeseries, destinations, ejections } };
}
