import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { alive, readState, runningCanaries, runsCanary, stateDir, type CanaryState } from '../../runner/canary/canary-state.js';
import type { CanaryJournal } from '../../runner/canary/canary-types.js';
import { overridePath } from '../../runner/canary/weight-driver.js';
import { controlTokenOf, controlUrl } from '../control-target.js';
import { CommandFailure } from '../exit.js';
import { printJson } from '../json-output.js';

interface Override {
  readonly service: string;
  readonly route: number;
  readonly by?: string;
  readonly lease?: string;
  readonly to: ReadonlyArray<{ labels: Record<string, string>; weight: number }>;
  readonly remainingMs: number;
}

const readJournal = (path: string): CanaryJournal | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CanaryJournal;
  } catch {
    return undefined;
  }
};

const controlOf = (flag: string | undefined, state?: CanaryState) => {
  const text = flag ?? state?.control ?? (process.env.FAULTMESH_CONTROL || undefined);
  return text === undefined ? undefined : controlUrl(flag !== undefined ? '--control' : 'the canary\'s control plane', text);
};

async function canaryOverrides(control: string, token: string | undefined): Promise<Override[]> {
  const r = await callAdmin(control, 'GET', '/v1/overrides', token);
  if (!isOk(r)) throw new CommandFailure(`cannot list the overrides: ${describeFailure(r)}`, typeof r.body.code === 'string' ? r.body.code : `HTTP_${r.status}`);
  return ((r.body.overrides ?? []) as Override[]).filter((o) => o.by?.startsWith('canary:'));
}

function describeLocal(s: CanaryState): Record<string, unknown> {
  const j = readJournal(s.journal);
  const last = j?.judgements.at(-1);
  return { name: s.name, pid: s.pid, journal: s.journal, via: s.control ?? s.admins, phase: j?.phase ?? 'starting', weight: j?.weight ?? 0, step: j?.step ?? 0, steps: j?.steps ?? [], lastJudgement: last ? { at: last.at, outcome: last.outcome, reason: last.reason, failedChecks: last.failedChecks } : null };
}

/** `faultmesh canary status [NAME]`: the canaries running on this host, and the canary overrides a control plane holds. */
export async function canaryStatus(args: { name?: string; control?: string; json: boolean }): Promise<void> {
  const local = runningCanaries().filter((s) => args.name === undefined || s.name === args.name).map(describeLocal);
  const control = controlOf(args.control);
  const overrides = control ? (await canaryOverrides(control, controlTokenOf(undefined))).filter((o) => args.name === undefined || o.by === `canary:${args.name}`) : [];
  if (args.json) {
    printJson({ canaries: local, overrides });
  } else {
    if (!local.length && !overrides.length) process.stdout.write(args.name ? `no canary "${args.name}" is running here${control ? ` or on ${control}` : ''}\n` : `no canary is running here${control ? ` or on ${control}` : ''}\n`);
    for (const c of local) {
      const last = c.lastJudgement as { outcome: string; reason: string; failedChecks: number } | null;
      process.stdout.write(`${String(c.name)}: ${String(c.phase)}, ${String(c.weight)}% to the canary (steps ${(c.steps as number[]).join(' → ')}), pid ${String(c.pid)}\n`);
      process.stdout.write(`  last judgement: ${last ? `${last.outcome}, ${last.failedChecks} failed so far: ${last.reason}` : 'none yet'}\n  journal: ${String(c.journal)}\n`);
    }
    for (const o of overrides) process.stdout.write(`${o.by}: ${o.service} route ${o.route} ${o.to.map((s) => `${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')} ${s.weight}%`).join(', ')}, lease ${Math.ceil(o.remainingMs / 1000)} s left, on ${control}\n`);
  }
  if (args.name !== undefined && !local.length && !overrides.length) process.exitCode = 1;
}

/**
 * `faultmesh canary abort NAME`: stops the canary's process here (it rolls
 * back, reverting a chaos stage first, and exits 3), and removes its
 * weights on the control plane or the proxies directly, so a wedged or
 * remote canary process cannot hold traffic on the canary either.
 */
export async function canaryAbort(args: { name: string; control?: string; token?: string }): Promise<void> {
  const state = readState(args.name);
  const said: string[] = [];
  const running = state !== undefined && runsCanary(state.pid);
  if (state && running) {
    process.kill(state.pid, 'SIGTERM');
    // Bounded: a canary reverting a chaos stage needs a few seconds; one that is wedged gets its weights removed below.
    for (let i = 0; i < 300 && alive(state.pid); i++) await delay(100);
    const j = readJournal(state.journal);
    said.push(alive(state.pid) ? `canary "${args.name}" (pid ${state.pid}) is still reverting after 30 s` : `canary "${args.name}" (pid ${state.pid}) stopped: ${j?.decision?.sentence ?? 'no decision in its journal'}`);
  }
  const control = controlOf(args.control, state);
  let removed = 0;
  if (control) {
    const token = controlTokenOf(args.token);
    for (const o of (await canaryOverrides(control, token)).filter((x) => x.by === `canary:${args.name}`)) {
      const r = o.lease ? await callAdmin(control, 'DELETE', `/v1/leases/${o.lease}`, token) : await callAdmin(control, 'DELETE', overridePath(o.service, o.route), token);
      if (!isOk(r) && r.status !== 404) throw new CommandFailure(`cannot remove ${o.by}'s weights on ${control}: ${describeFailure(r)}`);
      removed++;
      said.push(`removed ${o.by}'s weights on ${control}: ${o.service} route ${o.route} is back on the mesh's weights`);
    }
  } else if (state?.admins?.length && running) {
    const j = readJournal(state.journal);
    if (j) for (const admin of state.admins) await callAdmin(admin, 'DELETE', overridePath(j.service, j.route), args.token ?? process.env.FAULTMESH_ADMIN_TOKEN);
    removed++;
    said.push(`removed its weights on ${state.admins.join(', ')}`);
  }
  if (!said.length) {
    process.stderr.write(`faultmesh: no canary "${args.name}" runs here (no state in ${stateDir()})${control ? ` and ${control} holds no weights by canary:${args.name}` : ''}\n`);
    process.exitCode = 1;
    return;
  }
  for (const line of said) process.stdout.write(`${line}\n`);
  if (!removed && !state) process.exitCode = 1;
}
