import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runInit } from '../../cli/commands/init.js';
import { inspectFile } from '../../cli/commands/validate.js';
import { UsageError } from '../../cli/exit.js';
import { loadMeshFile } from '../../proxy/config/load-mesh.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

/** Answers for the prompts, as a terminal would send them, and what init wrote back. */
function scripted(answers: readonly string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let said = '';
  output.on('data', (d) => (said += d));
  input.end(answers.map((a) => `${a}\n`).join(''));
  return { io: { input, output, isTTY: true }, said: () => said };
}

describe('faultmesh init', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('writes a mesh file and an experiment for the services named, which validate accepts as written', async () => {
    const out = join(dir.path, 'shop');
    const run = await runCli(['init', out, '--service', 'payments=127.0.0.1:9301', '--service', 'payments=127.0.0.1:9302', '--service', 'catalog=[::1]:9401', '--region', 'eu-west']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /wrote .*mesh\.yaml \(2 services\) and .*experiment\.yaml; both validated/);
    assert.match(run.stdout, /faultmesh run .*experiment\.yaml --dry-run/);
    const validated = await runCli(['validate', join(out, 'mesh.yaml'), join(out, 'experiment.yaml')]);
    assert.equal(validated.code, 0, validated.stderr);
    assert.doesNotMatch(validated.stderr, /warning/, 'the experiment aims at a service the mesh has');
    const mesh = loadMeshFile(join(out, 'mesh.yaml'));
    assert.deepEqual(mesh.services.payments!.instances.map((i) => [i.id, i.address.text, i.region]), [['payments-1', '127.0.0.1:9301', 'eu-west'], ['payments-2', '127.0.0.1:9302', 'eu-west']]);
    assert.deepEqual(mesh.services.catalog!.instances.map((i) => i.address.text), ['[::1]:9401']);
    const experiment = readFileSync(join(out, 'experiment.yaml'), 'utf8');
    assert.match(experiment, /rule: \{ target: payments, percentage: 10, abort: \{ status: 503 \} \}/);
    assert.match(readFileSync(join(out, 'mesh.yaml'), 'utf8'), /# the name callers put in the Host header/, 'fields carry comments');
  });

  it('points the sidecar and the experiment away from the demo\'s ports, and lets the environment or --var move both', async () => {
    const out = join(dir.path, 'ports');
    const run = await runCli(['init', out, '--service', 'payments=127.0.0.1:9301']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /faultmesh proxy --mesh .*mesh\.yaml --listen 127\.0\.0\.1:16001 --admin 127\.0\.0\.1:16000 /);
    assert.doesNotMatch(run.stdout, /:1500[01]\b/, 'the demo\'s ingress holds 15000 and 15001');
    assert.match(run.stdout, /set FAULTMESH_PROXY and FAULTMESH_ADMIN or give --var proxy=URL --var admin=URL/);
    const file = join(out, 'experiment.yaml');
    const method = (e: ReturnType<typeof loadExperiment>) => JSON.stringify(e.method);
    const asWritten = loadExperiment(file, { env: {} });
    assert.match(method(asWritten), /"proxy":"http:\/\/127\.0\.0\.1:16001"/);
    assert.match(method(asWritten), /"admin":\["http:\/\/127\.0\.0\.1:16000"\]/);
    const fromEnv = loadExperiment(file, { env: { FAULTMESH_PROXY: 'http://127.0.0.1:7001', FAULTMESH_ADMIN: 'http://127.0.0.1:7000' } });
    assert.match(method(fromEnv), /"proxy":"http:\/\/127\.0\.0\.1:7001"/);
    assert.match(method(fromEnv), /"admin":\["http:\/\/127\.0\.0\.1:7000"\]/);
    const fromVars = loadExperiment(file, { env: {}, vars: { proxy: 'http://127.0.0.1:8001' } });
    assert.match(method(fromVars), /"proxy":"http:\/\/127\.0\.0\.1:8001"/);
    const moved = await runCli(['init', join(dir.path, 'moved'), '--service', 'a=127.0.0.1:9001', '--listen', '127.0.0.1:17001', '--admin', '127.0.0.1:17000']);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /--listen 127\.0\.0\.1:17001 --admin 127\.0\.0\.1:17000/);
    assert.match(method(loadExperiment(join(dir.path, 'moved', 'experiment.yaml'), { env: {} })), /"proxy":"http:\/\/127\.0\.0\.1:17001"/);
    const bad = await runCli(['init', join(dir.path, 'badport'), '--service', 'a=127.0.0.1:9001', '--admin', '127.0.0.1:99999']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--admin 127\.0\.0\.1:99999: "127\.0\.0\.1:99999" is not host:port/);
  });

  it('refuses a bad address or name, naming the flag, and writes nothing', async () => {
    const out = join(dir.path, 'bad');
    const port = await runCli(['init', out, '--service', 'payments=127.0.0.1:99999']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /^faultmesh: --service payments=127\.0\.0\.1:99999: "127\.0\.0\.1:99999" is not host:port/m);
    const name = await runCli(['init', out, '--service', 'Payments=127.0.0.1:9301']);
    assert.equal(name.code, 2);
    assert.match(name.stderr, /--service Payments=127\.0\.0\.1:9301: service names are lower case.*write "payments"/);
    const shape = await runCli(['init', out, '--service', '127.0.0.1:9301']);
    assert.match(shape.stderr, /write NAME=HOST:PORT/);
    assert.doesNotMatch(port.stderr + name.stderr + shape.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(out), false);
  });

  it('refuses to overwrite either file without --force, and overwrites with it', async () => {
    const out = join(dir.path, 'taken');
    const first = await runCli(['init', out, '--service', 'a=127.0.0.1:9001']);
    assert.equal(first.code, 0, first.stderr);
    writeFileSync(join(out, 'experiment.yaml'), '# mine\n');
    const refused = await runCli(['init', out, '--service', 'b=127.0.0.1:9002']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /mesh\.yaml and .*experiment\.yaml already exist: give --force/);
    assert.equal(readFileSync(join(out, 'experiment.yaml'), 'utf8'), '# mine\n');
    const forced = await runCli(['init', out, '--service', 'b=127.0.0.1:9002', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(out, 'experiment.yaml'), 'utf8'), /target: b,/);
  });

  it('asks for the services on a terminal, asks again after a bad answer, and writes files that validate', async () => {
    const out = join(dir.path, 'asked');
    const { io, said } = scripted(['Orders', 'orders', 'localhost', 'localhost:8080', 'orders', '10.0.0.2:8080', 'users', '10.0.0.3:80', '', 'us-east']);
    const written = await runInit({ dir: out }, io);
    assert.match(said(), /service names are lower case/);
    assert.match(said(), /"localhost" is not host:port/);
    assert.deepEqual(written.plan, { services: [{ name: 'orders', addresses: ['localhost:8080', '10.0.0.2:8080'] }, { name: 'users', addresses: ['10.0.0.3:80'] }], region: 'us-east' });
    assert.equal(inspectFile(written.mesh).summary, 'mesh, 2 services');
    assert.match(inspectFile(written.experiment).summary, /^experiment "orders keeps answering/);
  });

  // util-linux's script(1) gives the CLI a pseudo-terminal, so the real process.stdin.isTTY path runs.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it('asks on a real pseudo-terminal, answer by answer', { skip: hasScript ? false : 'script(1) is not installed' }, async () => {
    const out = join(dir.path, 'pty');
    const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
    const child = spawn('script', ['-qec', `${process.execPath} --import tsx ${main} init ${out}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    const waiters: Array<() => void> = [];
    child.stdout.on('data', (d) => {
      seen += d;
      for (const w of waiters.splice(0)) w();
    });
    child.once('exit', () => waiters.splice(0).forEach((w) => w()));
    const timer = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
    /** Waits until the terminal shows `text`, then types `answer`. */
    const answer = async (text: string, line: string) => {
      while (!seen.includes(text)) {
        assert.equal(child.exitCode, null, `exited before asking "${text}"; saw:\n${seen}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      child.stdin.write(`${line}\n`);
    };
    try {
      await answer('Service name', 'web');
      await answer('Address of web', '127.0.0.1:8080');
      await answer('Another service', '');
      await answer('Region of these instances', 'eu-west');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, seen);
    } finally {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    assert.match(seen, /wrote .*mesh\.yaml \(1 service\)/);
    assert.match(readFileSync(join(out, 'mesh.yaml'), 'utf8'), /- \{ id: web-1, address: "127\.0\.0\.1:8080", region: "eu-west" \}/);
  });

  it('ends the questions with exit 2 when the input ends before any service, or after three bad answers', async () => {
    await assert.rejects(runInit({ dir: join(dir.path, 'none') }, scripted([]).io), (e: unknown) => e instanceof UsageError && /no service given/.test(e.message));
    await assert.rejects(runInit({ dir: join(dir.path, 'typos') }, scripted(['a', 'x', 'y', 'z', 'a', '1.2.3.4:5']).io), (e: unknown) => e instanceof UsageError && /"z" is not host:port/.test(e.message));
    assert.equal(existsSync(join(dir.path, 'none')) || existsSync(join(dir.path, 'typos')), false);
  });

  it('asks nothing without a terminal: it says to name the services with --service', async () => {
    const run = await runCli(['init', join(dir.path, 'piped')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /name your services with --service NAME=HOST:PORT/);
  });
});
