import { z } from 'zod';
import { explainIssues, formatPath } from '../../proxy/config/config-error.js';
import type { ProxyView, ToxicState } from '../model.js';
import { isUpstream, listenOf } from '../input/address.js';
import { specOf } from '../input/toxic-input.js';
import { TOXIC_TYPES, type ToxicType } from '../tcp/index.js';

/**
 * GET /v1/toxiproxy as a process reads it (control/toxiproxy/toxiproxy-set.ts
 * writes it): checked whole, since a control plane of another version may
 * send another shape, and a set applied half would be worse than none.
 */
const toxicSchema = z.object({
  name: z.string().min(1),
  type: z.enum(TOXIC_TYPES as [ToxicType, ...ToxicType[]]),
  stream: z.enum(['upstream', 'downstream']),
  toxicity: z.number().min(0).max(1),
  attributes: z.record(z.string(), z.number()),
  expires_at: z.string().optional(),
  remainingMs: z.number().optional(),
});

const snapshotSchema = z.object({
  revision: z.number().int().min(0),
  leasesEnded: z.number().int().min(0),
  proxies: z.array(
    z.object({
      name: z.string().min(1),
      listen: z.string(),
      upstream: z.string(),
      enabled: z.boolean(),
      toxics: z.array(toxicSchema),
    }),
  ),
});

/** A toxic of the set: its spec, and the lease's end as the control plane showed it and as this process counts it down. */
export interface MirrorToxic extends ToxicState {
  /** The control plane's `expires_at`, shown as is. */
  readonly expiresIso?: string | undefined;
}

export interface MirrorProxy extends Omit<ProxyView, 'toxics' | 'listen_error'> {
  readonly toxics: readonly MirrorToxic[];
}

export interface ControlSnapshot {
  readonly revision: number;
  readonly leasesEnded: number;
  readonly proxies: readonly MirrorProxy[];
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

/**
 * Reads a snapshot; a toxic's end becomes a time on this process's clock
 * (`now` + what was left), so a host whose clock differs from the control
 * plane's still ends it on time. Throws SnapshotError naming the field.
 */
export function readSnapshot(body: unknown, now: number): ControlSnapshot {
  const parsed = snapshotSchema.safeParse(body);
  if (!parsed.success) {
    const issue = explainIssues(parsed.error.issues, body)[0];
    throw new SnapshotError(`the control plane sent a toxiproxy set this server cannot read (${issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid'}): is it another faultmesh version?`);
  }
  const { revision, leasesEnded, proxies } = parsed.data;
  const badAddress = proxies.find((p) => listenOf(p.listen) === undefined || !isUpstream(p.upstream));
  if (badAddress) throw new SnapshotError(`the control plane sent proxy ${badAddress.name} with addresses this server cannot use (listen ${badAddress.listen}, upstream ${badAddress.upstream})`);
  return {
    revision,
    leasesEnded,
    proxies: proxies.map((p) => ({
      ...p,
      toxics: p.toxics.map((t) => {
        let spec;
        try {
          spec = specOf(t);
        } catch (err) {
          throw new SnapshotError(`the control plane sent toxic ${t.name} of proxy ${p.name} that this server refuses: ${(err as Error).message}`);
        }
        return { spec, ...(t.remainingMs !== undefined ? { expiresAt: now + t.remainingMs, expiresIso: t.expires_at } : {}) };
      }),
    })),
  };
}
