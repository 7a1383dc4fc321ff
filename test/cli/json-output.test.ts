import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { MESH, openStream, startTestControl, type StreamClient, type TestControl } from '../control/control-fixture.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

// The shapes README documents for --json, strict: a field added or renamed fails here first.
const issue = z.strictObject({ file: z.string(), line: z.number(), column: z.number(), field: z.string(), message: z.string() });
const errorDoc = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), issues: z.array(issue).optional(), usage: z.string().optional() }) });
const iso = z.iso.datetime();
const statusDoc = z.strictObject({
  version: z.number(),
  meshVersion: z.number().optional(),
  halted: z.boolean(),
  summary: z.string(),
  discrepancies: z.array(z.string()),
  proxies: z.array(
    z.strictObject({
      id: z.string(),
      service: z.string(),
      region: z.string().optional(),
      zone: z.string().optional(),
      admin: z.string().optional(),
      replica: z.string().optional(),
      connected: z.boolean(),
      connectedSince: iso.optional(),
      disconnectedAt: iso.optional(),
      applied: z.number(),
      behindBy: z.number(),
      behindSinceMs: z.number().optional(),
      lastRejection: z.strictObject({ version: z.number(), reason: z.string(), at: iso }).optional(),
      faults: z.record(z.string(), z.strictObject({ matched: z.number(), hit: z.number(), active: z.number().optional() })),
      halted: z.boolean(),
      lastReportAt: iso.optional(),
      lastChannelError: z.strictObject({ reason: z.string(), at: iso }).optional(),
    }),
  ),
  services: z.array(
    z.strictObject({
      name: z.string(),
      instances: z.array(
        z.strictObject({
          id: z.string(),
          address: z.string(),
          region: z.string().optional(),
          zone: z.string().optional(),
          source: z.enum(['mesh', 'registration']),
          leaseRemainingMs: z.number().optional(),
          health: z.record(z.string(), z.enum(['healthy', 'ejected', 'probation'])),
        }),
      ),
    }),
  ),
  faults: z.array(z.strictObject({ id: z.string(), target: z.string(), remainingMs: z.number(), appliedBy: z.array(z.string()), missingOn: z.array(z.string()) })),
  overrides: z.array(z.strictObject({ service: z.string(), route: z.number(), to: z.array(z.strictObject({ labels: z.record(z.string(), z.string()), weight: z.number() })), by: z.string().optional(), remainingMs: z.number() })),
});
const validateDoc = z.strictObject({
  valid: z.boolean(),
  files: z.array(
    z.union([
      z.strictObject({ file: z.string(), valid: z.literal(true), kind: z.enum(['gameday', 'canary', 'experiment', 'rules', 'mesh']), summary: z.string() }),
      z.strictObject({ file: z.string(), valid: z.literal(false), errors: z.array(issue).min(1), hint: z.string().optional() }),
    ]),
  ),
  warnings: z.array(issue),
});
const canaryDoc = z.strictObject({
  canaries: z.array(
    z.strictObject({
      name: z.string(),
      pid: z.number(),
      journal: z.string(),
      via: z.union([z.string(), z.array(z.string())]),
      phase: z.string(),
      weight: z.number(),
      step: z.number(),
      steps: z.array(z.number()),
      lastJudgement: z.strictObject({ at: z.string(), outcome: z.string(), reason: z.string(), failedChecks: z.number() }).nullable(),
    }),
  ),
  overrides: z.array(z.strictObject({ service: z.string(), route: z.number(), to: z.array(z.unknown()), by: z.string(), lease: z.string().optional(), at: iso, remainingMs: z.number(), expiresAt: iso })),
});

const json = (stdout: string) => JSON.parse(stdout) as unknown;

describe('--json prints one document of a stable shape, errors included', () => {
  const dir = tempDir();
  let control: TestControl;
  let standIn: StreamClient | undefined;
  let fakeCanary: ChildProcess | undefined;

  before(async () => {
    control = await startTestControl();
    assert.equal((await control.call('PUT', '/v1/mesh', { text: MESH, file: 'mesh.yaml' })).status, 200);
    assert.equal((await control.call('POST', '/v1/faults', { id: 'slow-pay', target: 'payments', delay: { fixed: '100ms' }, ttl: '10m' })).status, 201);
    const to = [{ labels: { version: 'v1' }, weight: 50 }, { labels: { version: 'v2' }, weight: 50 }];
    assert.equal((await control.call('PUT', '/v1/overrides/payments/0', { to, ttl: '10m', by: 'canary:pay-v2' })).status, 200);
  });
  after(async () => {
    standIn?.close();
    fakeCanary?.kill();
    await control.stop();
    dir.remove();
  });

  it('status --json: the control plane\'s status, exit 0 in sync; exit 3 with discrepancies', async () => {
    standIn = await openStream(control.url, { id: 'web-1', service: 'web' });
    const first = await standIn.next((e) => e.event === 'snapshot');
    assert.equal((await control.call('POST', '/v1/proxies/web-1/ack', { version: first.data.version, applied: true })).status, 200);
    const r = await runCli(['status', '--json', '--control', control.url]);
    assert.equal(r.code, 0, r.stderr);
    const doc = statusDoc.parse(json(r.stdout));
    assert.deepEqual([doc.proxies.map((p) => p.id), doc.services[0]?.instances.map((i) => i.id), doc.faults.map((f) => f.id), doc.overrides.map((o) => o.by)], [['web-1'], ['p1'], ['slow-pay'], ['canary:pay-v2']]);

    standIn.close();
    await waitFor(async () => ((await control.call('GET', '/v1/status')).json<{ discrepancies: string[] }>().discrepancies.length > 0), 'the closed stream shows as a discrepancy');
    const behind = await runCli(['status', '--json', '--control', control.url]);
    assert.equal(behind.code, 3, behind.stderr);
    assert.match(statusDoc.parse(json(behind.stdout)).discrepancies[0]!, /^web-1 disconnected/);
    const text = await runCli(['status', '--control', control.url]);
    assert.equal(text.code, 3);
    assert.match(text.stdout, /^1 discrepancy/);
  });

  it('status --json: an unreachable control plane is an error document, exit 1; a blank token one with exit 2', async () => {
    const r = await runCli(['status', '--json', '--control', 'http://127.0.0.1:1']);
    assert.equal(r.code, 1);
    assert.equal(errorDoc.parse(json(r.stdout)).error.code, 'UNREACHABLE');
    const blank = await runCli(['status', '--json', '--control', control.url, '--token', ' ']);
    assert.equal(blank.code, 2);
    assert.match(errorDoc.parse(json(blank.stdout)).error.message, /--token is blank/);
    const typo = await runCli(['status', '--json', '--wach']);
    assert.equal(typo.code, 2);
    assert.deepEqual(errorDoc.parse(json(typo.stdout)).error.code, 'USAGE');
  });

  it('validate --json: every file\'s result and every warning; exit 2 when a file is invalid, 0 otherwise', async () => {
    const mesh = dir.file('mesh.yaml', 'services:\n  payments:\n    instances: []\n    routes:\n      - to: [{ labels: { version: v1 }, weight: 100 }]\n');
    const rule = dir.file('rule.yaml', 'target: nowhere\nabort: { status: 503 }\nttl: 1m\n');
    const bad = dir.file('bad.yaml', 'target: payments\nabort: { status: 999 }\nttl: 1m\n');
    const r = await runCli(['validate', '--json', mesh, rule, bad, join(dir.path, 'missing.yaml')]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, '', 'nothing but the document');
    const doc = validateDoc.parse(json(r.stdout));
    assert.deepEqual(doc.files.map((f) => [f.valid, f.valid ? f.kind : f.errors[0]!.line]), [[true, 'mesh'], [true, 'rules'], [false, 2], [false, 0]]);
    assert.equal(doc.valid, false);
    assert.ok(doc.warnings.some((w) => w.file === rule && /no service "nowhere"/.test(w.message)), JSON.stringify(doc.warnings));
    const good = await runCli(['validate', '--json', mesh]);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(validateDoc.parse(json(good.stdout)).valid, true);
  });

  it('canary status --json: the canaries running here and the overrides the control plane holds', async () => {
    const stateDir = dir.path;
    // A process that reads as a running canary (its argv has canary and run), with a state file and a journal.
    fakeCanary = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'canary', 'run'], { stdio: 'ignore' });
    const journal = dir.file('pay-v2-canary.json', JSON.stringify({ phase: 'step', weight: 10, step: 1, steps: [10, 50], judgements: [{ at: '2026-01-01T00:00:00.000Z', outcome: 'pass', reason: 'within bounds', failedChecks: 0 }] }));
    writeFileSync(join(stateDir, 'pay-v2.canary-state.json'), JSON.stringify({ name: 'pay-v2', pid: fakeCanary.pid, journal, control: control.url, admins: [], startedAt: new Date().toISOString() }));
    const r = await runCli(['canary', 'status', '--json', '--control', control.url], undefined, { FAULTMESH_STATE_DIR: stateDir });
    assert.equal(r.code, 0, r.stderr);
    const doc = canaryDoc.parse(json(r.stdout));
    assert.deepEqual([doc.canaries.map((c) => [c.name, c.weight, c.lastJudgement?.outcome]), doc.overrides.map((o) => o.by)], [[['pay-v2', 10, 'pass']], ['canary:pay-v2']]);
  });

  it('mesh get --json: the applied mesh, or an error document', async () => {
    const r = await runCli(['mesh', 'get', '--json', '--control', control.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((json(r.stdout) as { text: string }).text, MESH);
    const none = await runCli(['mesh', 'get', '--json', '--control', 'http://127.0.0.1:1']);
    assert.equal(none.code, 1);
    assert.equal(errorDoc.parse(json(none.stdout)).error.code, 'UNREACHABLE');
  });

  it('mesh diff exits 3 when the file would change the applied mesh, 0 when not', async () => {
    const same = dir.file('same.yaml', MESH);
    const changed = dir.file('changed.yaml', MESH.replace('weight: 90', 'weight: 80'));
    assert.equal((await runCli(['mesh', 'diff', same, '--control', control.url])).code, 0);
    const diff = await runCli(['mesh', 'diff', changed, '--control', control.url]);
    assert.equal(diff.code, 3, diff.stderr);
    assert.match(diff.stdout, /^-.*weight: 90/m);
  });
});
