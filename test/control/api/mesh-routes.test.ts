import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { parseMesh, parseMeshAwaitingInstances } from '../../../proxy/config/load-mesh.js';
import { MESH, openStream, startTestControl, type TestControl } from '../control-fixture.js';

describe('a mesh whose instances register later', () => {
  it('is a warning at file:line:column for the control plane, and still an error in a file a proxy reads', () => {
    const { mesh, warnings } = parseMeshAwaitingInstances(MESH, 'mesh.yaml');
    assert.equal(mesh.services.payments!.routes.length, 1);
    assert.deepEqual(warnings.map((w) => `${w.file}:${w.line} ${w.field}`), ['mesh.yaml:8 services.payments.routes[0].to[1].labels']);
    assert.throws(() => parseMesh(MESH, 'mesh.yaml'), (err: unknown) => err instanceof ConfigError && /no instance has labels \{"version":"v2"\}/.test(err.message));
  });
});

describe('the mesh resource', () => {
  let control: TestControl;
  before(async () => {
    control = await startTestControl();
  });
  after(() => control.stop());

  it('answers 404 NO_MESH before any mesh was applied, and a stream gets mesh: null', async () => {
    const r = await control.call('GET', '/v1/mesh');
    assert.equal(r.status, 404);
    assert.equal(r.json().code, 'NO_MESH');
    const stream = await openStream(control.url, { id: 'early', service: 'web' });
    const first = await stream.next((e) => e.event === 'snapshot');
    assert.equal(first.data.mesh, null);
    stream.close();
  });

  it('applies a valid mesh, warns about a subset whose instances have not registered yet, and pushes it', async () => {
    const stream = await openStream(control.url, { id: 'web-1', service: 'web' });
    await stream.next((e) => e.event === 'snapshot');
    const put = await control.call('PUT', '/v1/mesh', { text: MESH, file: 'mesh.yaml' });
    assert.equal(put.status, 200, put.text());
    const { version, warnings } = put.json<{ version: number; warnings: Array<{ line: number; field: string; message: string }> }>();
    assert.match(warnings[0]!.message, /no instance has labels \{"version":"v2"\}/);
    assert.equal(warnings[0]!.field, 'services.payments.routes[0].to[1].labels');
    assert.equal(warnings[0]!.line, 8);
    const pushed = await stream.next((e) => e.event === 'snapshot' && e.data.mesh !== null);
    assert.equal(pushed.data.version, version);
    assert.equal(pushed.id, String(version));
    assert.equal(pushed.data.mesh.text, MESH);
    const got = (await control.call('GET', '/v1/mesh')).json();
    assert.deepEqual({ version: got.version, text: got.text, file: got.file }, { version, text: MESH, file: 'mesh.yaml' });
    stream.close();
  });

  it('refuses an invalid mesh with every issue at file:line:column, and changes nothing', async () => {
    const before = (await control.call('GET', '/v1/mesh')).json();
    const stream = await openStream(control.url, { id: 'web-2', service: 'web' });
    await stream.next((e) => e.event === 'snapshot');
    const bad = 'services:\n  payments:\n    instances:\n      - { id: p1, address: nowhere }\n    retries: 3\n';
    const r = await control.call('PUT', '/v1/mesh', { text: bad, file: 'bad.yaml' });
    assert.equal(r.status, 400);
    const body = r.json<{ code: string; errors: Array<{ file: string; line: number; column: number; field: string }> }>();
    assert.equal(body.code, 'CONFIG_INVALID');
    assert.deepEqual(
      body.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.field}`).sort(),
      ['bad.yaml:4:28 services.payments.instances[0].address', 'bad.yaml:5:5 services.payments.retries'].sort(),
    );
    const afterwards = (await control.call('GET', '/v1/mesh')).json();
    assert.deepEqual(afterwards, before);
    // Nothing was pushed: the stream still has only the snapshot it got on connect.
    const status = (await control.call('GET', '/v1/status')).json();
    assert.equal(status.version, before.version);
    assert.equal(stream.snapshots().length, 1);
    stream.close();
  });

  it('refuses a stale expectVersion with 409 CONFLICT and keeps the mesh', async () => {
    const current = (await control.call('GET', '/v1/mesh')).json<{ version: number }>();
    const ok = await control.call('PUT', '/v1/mesh', { text: MESH.replace('weight: 90', 'weight: 80'), expectVersion: current.version });
    assert.equal(ok.status, 200, ok.text());
    const stale = await control.call('PUT', '/v1/mesh', { text: MESH, expectVersion: current.version });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().code, 'CONFLICT');
    assert.match(stale.json<{ message: string }>().message, /expect-version compares the mesh's own version.*"mesh version", not the control plane's version/);
    assert.match((await control.call('GET', '/v1/mesh')).json<{ text: string }>().text, /weight: 80/);
  });

  it('answers unchanged for the text it already holds, without a new version or a push', async () => {
    const current = (await control.call('GET', '/v1/mesh')).json<{ version: number; text: string; file: string }>();
    const before = (await control.call('GET', '/v1/status')).json<{ version: number }>().version;
    const stream = await openStream(control.url, { id: 'web-3', service: 'web' });
    await stream.next((e) => e.event === 'snapshot');
    const again = await control.call('PUT', '/v1/mesh', { text: current.text, file: current.file });
    assert.equal(again.status, 200, again.text());
    const { version, unchanged } = again.json<{ version: number; unchanged: boolean }>();
    assert.deepEqual({ version, unchanged }, { version: current.version, unchanged: true });
    assert.equal((await control.call('GET', '/v1/status')).json<{ version: number }>().version, before, 'nothing was written');
    // A real change after it is the next snapshot the stream gets: the identical apply pushed nothing.
    const changed = await control.call('PUT', '/v1/mesh', { text: current.text.replace('weight: 80', 'weight: 70'), file: current.file });
    const pushed = await stream.next((e) => e.event === 'snapshot' && e.data.version > before);
    assert.equal(pushed.data.version, changed.json<{ version: number }>().version);
    assert.equal(stream.snapshots().length, 2);
    const stale = await control.call('PUT', '/v1/mesh', { text: current.text, file: current.file, expectVersion: current.version });
    assert.equal(stale.status, 409, 'a stale expectVersion is refused even for text the mesh held before');
    stream.close();
  });
});

describe('two applies racing', () => {
  it('let exactly one win, even without expectVersion: the other is a 409 that wrote nothing', async () => {
    // Both applies read the mesh before either writes (held at a barrier), as two replicas racing do.
    const { MemoryStore } = await import('../../../control/store/memory/memory-store.js');
    const inner = new MemoryStore();
    let waiting: Array<() => void> | undefined;
    const get = async (key: string) => {
      const kv = await inner.get(key);
      if (key === 'mesh' && waiting) {
        const queue = waiting;
        await new Promise<void>((release) => {
          queue.push(release);
          // The barrier holds the first two reads only: the loser's read of the winner's version must pass.
          if (queue.length === 2) {
            waiting = undefined;
            for (const r of queue) r();
          }
        });
      }
      return kv;
    };
    const store = new Proxy(inner, { get: (target, name) => (name === 'get' ? get : (Reflect.get(target, name) as unknown) instanceof Function ? (Reflect.get(target, name) as (...a: unknown[]) => unknown).bind(target) : Reflect.get(target, name)) });
    const control = await startTestControl({ store });
    after(() => control.stop());
    assert.equal((await control.call('PUT', '/v1/mesh', { text: MESH, file: 'first.yaml' })).status, 200);
    waiting = [];
    const [a, b] = await Promise.all([control.call('PUT', '/v1/mesh', { text: MESH, file: 'a.yaml' }), control.call('PUT', '/v1/mesh', { text: MESH, file: 'b.yaml' })]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text()} / ${b.text()}`);
    const loser = a.status === 409 ? a : b;
    assert.equal(loser.json().code, 'CONFLICT');
    assert.match(loser.json<{ message: string }>().message, /another mesh was applied while this one was .*nothing of this apply was written/);
    const winner = a.status === 200 ? 'a.yaml' : 'b.yaml';
    assert.equal((await control.call('GET', '/v1/mesh')).json().file, winner);
  });
});
