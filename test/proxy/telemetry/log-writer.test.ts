import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LogWriter } from '../../../proxy/telemetry/log-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'faultmesh-logwriter-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('the access log writer', () => {
  it('keeps every line, in order, when far more is written at once than it queues (the synchronous path)', async () => {
    const file = join(dir, 'many.log');
    const w = LogWriter.open({ kind: 'file', path: file });
    // 200k lines of ~60 bytes: 12 MiB, past the 4 MiB it queues before it writes synchronously.
    for (let i = 0; i < 200_000; i++) w.write(`{"n":${i},"pad":"${'x'.repeat(40)}"}\n`);
    await w.close();
    const got = lines(file);
    assert.equal(got.length, 200_000);
    for (let i = 0; i < got.length; i += 9973) assert.equal(JSON.parse(got[i]!).n, i);
    assert.equal(JSON.parse(got.at(-1)!).n, 199_999);
  });

  it('writes a line longer than its buffer whole, and non-ASCII text intact', async () => {
    const file = join(dir, 'long.log');
    const w = LogWriter.open({ kind: 'file', path: file });
    const long = 'é'.repeat(100_000);
    w.write('{"a":1}\n');
    w.write(`{"long":"${long}"}\n`);
    w.write('{"a":2}\n');
    await w.close();
    const got = lines(file);
    assert.deepEqual([JSON.parse(got[0]!).a, JSON.parse(got[1]!).long.length, JSON.parse(got[2]!).a], [1, 100_000, 2]);
  });

  it('flushes on flush(), before any close', async () => {
    const file = join(dir, 'flush.log');
    const w = LogWriter.open({ kind: 'file', path: file });
    w.write('{"a":1}\n');
    await new Promise<void>((resolve) => w.flush(resolve));
    assert.deepEqual(lines(file), ['{"a":1}']);
    await w.close();
  });

  it('loses nothing when the process exits right after writing (the exit hook)', () => {
    const file = join(dir, 'exit.log');
    const writer = fileURLToPath(new URL('../../../proxy/telemetry/log-writer.ts', import.meta.url));
    const script = `import { LogWriter } from ${JSON.stringify(writer)}; const w = LogWriter.open({ kind: 'file', path: ${JSON.stringify(file)} }); for (let i = 0; i < 50000; i++) w.write('{"n":' + i + '}\\n'); process.exit(0);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const got = lines(file);
    assert.equal(got.length, 50_000);
    assert.equal(JSON.parse(got.at(-1)!).n, 49_999);
  });

  it('never interleaves lines of two processes writing to one stdout pipe (the cluster workers case)', async () => {
    const writer = fileURLToPath(new URL('../../../proxy/telemetry/log-writer.ts', import.meta.url));
    const script = (id: string) =>
      `import { LogWriter } from ${JSON.stringify(writer)}; const w = LogWriter.open({ kind: 'stdout' }); for (let i = 0; i < 20000; i++) w.write(JSON.stringify({ id: '${id}', i, pad: 'y'.repeat(i % 300) }) + '\\n'); await w.close();`;
    // One pipe shared by both children, as cluster workers share the primary's stdout.
    const reader = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} --import tsx --input-type=module -e "$A" & ${JSON.stringify(process.execPath)} --import tsx --input-type=module -e "$B" & wait`], { env: { ...process.env, A: script('a'), B: script('b') }, stdio: ['ignore', 'pipe', 'pipe'] });
    // A slow reader keeps the pipe full, so writes come back short: the case where larger writes interleave.
    const chunks: Buffer[] = [];
    const stdout = reader.stdout;
    stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      stdout.pause();
      setImmediate(() => stdout.resume());
    });
    const code = await new Promise<number | null>((resolve) => reader.once('close', resolve));
    const out = Buffer.concat(chunks).toString('utf8');
    assert.equal(code, 0);
    const got = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; i: number });
    assert.equal(got.filter((l) => l.id === 'a').length, 20000);
    assert.equal(got.filter((l) => l.id === 'b').length, 20000);
  });
});
