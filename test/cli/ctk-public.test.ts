import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';

// Chaos Toolkit experiments written as public ones are (test/fixtures/ctk-public/README.md), each run unchanged by
// `faultmesh run`, from a folder of its own as a user runs them, against a small local service.
const fixtures = fileURLToPath(new URL('../fixtures/ctk-public/', import.meta.url));
const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
// Resolved here: a bare `--import tsx` would be looked up from the experiment's folder, where no node_modules is.
const tsx = import.meta.resolve('tsx');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function faultmesh(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, main, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONPATH: [join(fixtures, 'ext'), process.env.PYTHONPATH].filter(Boolean).join(delimiter), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS * 2);
    child.once('error', reject);
    void once(child, 'exit').then(([code]) => {
      clearTimeout(timer);
      resolve({ code: code as number | null, stdout, stderr });
    });
  });
}

type Journal = {
  status: string;
  deviated: boolean;
  'chaoslib-version': string;
  experiment: { title: string };
  steady_states: { before: { steady_state_met: boolean } | null; after: { steady_state_met: boolean } | null };
  run: Array<{ activity: { name: string; provider: Record<string, unknown> }; status: string; output: unknown; tolerance_met?: boolean }>;
  rollbacks: Array<{ activity: { name: string }; status: string }>;
};

describe('public Chaos Toolkit experiments, run unchanged', () => {
  let server: Server;
  let baseUrl = '';
  let dir = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/maintenance') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Down for maintenance</h1></body></html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'up' }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'fm-ctk-public-'));
    for (const f of ['tutorial.json', 'terminate-pod.yaml', 'shell-probes.yaml', 'controls.yaml']) cpSync(join(fixtures, f), join(dir, f));
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const journal = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Journal;

  it('the tutorial experiment: python os.path.exists and os.rename, an http probe, a process probe, a rollback that restores the file', async () => {
    writeFileSync(join(dir, 'app.conf'), 'port = 8443\n');
    const r = await faultmesh(['run', 'tutorial.json', '--var', `base_url=${baseUrl}`, '--journal', 'tutorial-journal.json'], dir);
    // The file is gone after the method, so the steady state deviates: what the tutorial sets out to show.
    assert.equal(r.code, 1, r.stderr);
    const j = journal('tutorial-journal.json');
    assert.equal(j.status, 'completed');
    assert.equal(j.deviated, true);
    assert.equal(j.steady_states.before?.steady_state_met, true);
    assert.equal(j.steady_states.after?.steady_state_met, false);
    assert.deepEqual(j.run.map((a) => [a.activity.name, a.status]), [['move-config-file-away', 'succeeded'], ['read-the-moved-file', 'succeeded']]);
    assert.equal((j.run[1]!.output as { stdout: string }).stdout, 'port = 8443\n', 'the process probe read the moved file through the shell');
    assert.deepEqual(j.rollbacks.map((a) => [a.activity.name, a.status]), [['restore-config-file', 'succeeded']]);
    assert.ok(existsSync(join(dir, 'app.conf')) && !existsSync(join(dir, 'app.conf.old')), 'the rollback put the file back');
    assert.equal(typeof j['chaoslib-version'], 'string');
  });

  it("a chaosk8s experiment: the extension's functions get their arguments and the declared secrets, and its jsonpath probe judges what it returned", async () => {
    const state = join(dir, 'cluster.json');
    writeFileSync(state, JSON.stringify({ pods: { shop: ['payments-1', 'payments-2', 'catalog-1'] } }));
    const env = { FAKE_K8S_STATE: state, K8S_TOKEN: 'tok-123' };
    const v = await faultmesh(['validate', 'terminate-pod.yaml'], dir, env);
    assert.equal(v.code, 0, v.stderr);
    const r = await faultmesh(['run', 'terminate-pod.yaml', '--var', `base_url=${baseUrl}`, '--journal', 'k8s-journal.json'], dir, env);
    assert.equal(r.code, 0, r.stderr);
    const cluster = JSON.parse(readFileSync(state, 'utf8')) as { pods: { shop: string[] }; terminated: string[]; api: { host: string; token: string } };
    assert.deepEqual(cluster.terminated, ['payments-1'], 'terminate_pods ran with qty 1 in namespace shop');
    assert.deepEqual(cluster.api, { host: 'https://127.0.0.1:6443', token: 'tok-123' }, 'the k8s secrets reached the extension');
    const j = journal('k8s-journal.json');
    assert.equal(j.status, 'completed');
    assert.equal(j.run[1]!.tolerance_met, true, 'one payments pod is left, as the jsonpath count says');
    assert.ok(!readFileSync(join(dir, 'k8s-journal.json'), 'utf8').includes('tok-123'), 'the secret is masked in the journal');
  });

  it("the chaosk8s experiment without its secret's environment variable is refused before it runs, naming the entry", async () => {
    const state = join(dir, 'cluster-untouched.json');
    writeFileSync(state, JSON.stringify({ pods: { shop: ['payments-1'] } }));
    const r = await faultmesh(['run', 'terminate-pod.yaml', '--var', `base_url=${baseUrl}`, '--journal', 'k8s-refused.json'], dir, { FAKE_K8S_STATE: state });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /secrets\.k8s\.KUBERNETES_API_KEY/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(JSON.parse(readFileSync(state, 'utf8')), { pods: { shop: ['payments-1'] } }, 'nothing ran');
  });

  it('process providers: a string runs through a shell (pipes, redirections), a list runs without one; jsonpath count 0 holds on an HTML page', async () => {
    const r = await faultmesh(['run', 'shell-probes.yaml', '--var', `base_url=${baseUrl}`, '--journal', 'shell-journal.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const j = journal('shell-journal.json');
    assert.equal(j.steady_states.before?.steady_state_met, true);
    assert.equal((j.run[0]!.output as { stdout: string }).stdout.trim(), '2', 'the shell ran && and >> and <');
    assert.equal((j.run[1]!.output as { stdout: string }).stdout, '$HOME |\n', 'no shell: $HOME and | reach echo as written');
    assert.equal(j.run[1]!.tolerance_met, true);
    assert.ok(!existsSync(join(dir, 'marker.txt')), 'the rollback removed the marker');
  });

  it("a python control sees the run's hooks in Chaos Toolkit's order, and the deviated strategy runs the rollbacks of a deviated run", async () => {
    const r = await faultmesh(['run', 'controls.yaml', '--journal', 'controls-journal.json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const j = journal('controls-journal.json');
    assert.equal(j.deviated, true);
    assert.deepEqual(j.rollbacks.map((a) => [a.activity.name, a.status]), [['lower-maintenance-flag', 'succeeded']]);
    assert.ok(!existsSync(join(dir, 'down.flag')));
    const events = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; n: number; name?: string; deviated?: boolean });
    assert.deepEqual(events.map((e) => e.n), events.map((_, i) => i + 1), "one process kept the module's state across hooks");
    assert.equal(events[0]!.event, 'configure');
    assert.equal(events[1]!.event, 'before_experiment');
    assert.ok(events.some((e) => e.event === 'after_activity' && e.name === 'raise-maintenance-flag'));
    const end = events.find((e) => e.event === 'after_experiment');
    assert.equal(end?.deviated, true);
    assert.equal(events.at(-1)!.event, 'cleanup');
  });
});
