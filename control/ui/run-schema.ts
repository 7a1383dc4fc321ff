import { z } from 'zod';
import type { Keys } from '../keys.js';
import { leaseIdSchema, ttlSchema } from '../api/request-body.js';

/**
 * A run as its runner registers it with PUT /v1/runs/:id, so the dashboard
 * can name what holds each fault and show the run's phase and probes. Not
 * desired state: proxies are never sent it, and writing it makes no version.
 * Bounded, as every body a proxy or runner sends is.
 */
const text = (max: number) => z.string().max(max);

const probeSchema = z.strictObject({
  name: text(200),
  value: z.union([z.number(), text(500), z.boolean(), z.null()]),
  tolerance: text(500).optional(),
  ok: z.boolean().nullable(),
  when: z.enum(['before', 'during', 'after']).optional(),
});

export const runBodySchema = z.strictObject({
  kind: z.enum(['experiment', 'gameday', 'canary']),
  name: text(200).min(1),
  state: z.enum(['running', 'finished']),
  phase: text(100),
  verdict: text(2000).optional(),
  startedAt: text(40).optional(),
  endedAt: text(40).optional(),
  /** The game day an experiment runs in. */
  gameday: text(200).optional(),
  probes: z.array(probeSchema).max(100).default([]),
  /** Ids of the faults it injected: the dashboard names the run as their holder. */
  faults: z.array(text(200)).max(1000).default([]),
  canary: z.strictObject({ service: text(200), weight: z.number().min(0).max(100), judgement: text(2000).optional() }).optional(),
  /** Where its report is: an http(s) URL is linked, a path is shown. */
  report: text(2000).optional(),
  /** The run's own lease (its record ends with it), or a ttl of its own: a finished run stays listed that long. */
  lease: leaseIdSchema.optional(),
  ttl: ttlSchema.optional(),
});

export type RunBody = z.output<typeof runBodySchema>;

/** As stored at `runs/<id>`: the body without its lease request, and whether the lease is its own. */
export type RunValue = Omit<RunBody, 'lease' | 'ttl'> & { readonly id: string; readonly ownLease: boolean; readonly updatedAt: string };

export const RUN_ID = /^[A-Za-z0-9]([A-Za-z0-9-_.]*[A-Za-z0-9])?$/;

/** Where runs live: beside the desired keys, not among them (keys.ts isDesired does not list it, so no version moves). */
export const runsPrefix = (keys: Keys): string => keys.runs;
export const runKey = (keys: Keys, id: string): string => keys.run(id);
