import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_CANARIES } from '../../demo/shop/run-canaries.js';
import { DEMO_EXPERIMENTS } from '../../demo/shop/run-demo.js';
import { INSTANCES, PROXIES } from '../../demo/shop/topology.js';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { readTextFile } from '../../proxy/config/text-file.js';
import { loadCanary } from '../../runner/canary/load-canary.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { loadGameday } from '../../runner/gameday/load-gameday.js';

const experiments = fileURLToPath(new URL('../../experiments', import.meta.url));
const CONTROL = 'http://127.0.0.1:15100';

type Provider = { type: string; admin?: string[]; source?: string; destination?: string };
const providersOf = (file: string, vars: Record<string, unknown> = {}) => {
  const e = loadExperiment(join(experiments, file), { env: {}, vars });
  return [...(e.hypothesis?.probes ?? []), ...e.method, ...e.safeguards].map((a) => a.provider as Provider);
};

describe('the demo experiments on the control plane', () => {
  for (const file of DEMO_EXPERIMENTS) {
    it(`${file} sends its faults and metric probes to the control plane, not to a list of proxies`, () => {
      const mesh = providersOf(file).filter((p) => p.type === 'fault' || p.type === 'metric');
      assert.ok(mesh.length >= 2, 'a fault and a probe at least');
      for (const p of mesh) assert.deepEqual(p.admin, [CONTROL], `${p.type} provider`);
      // The demo (and a user on other ports) points the same file elsewhere with --var control=URL.
      for (const p of providersOf(file, { control: 'http://127.0.0.1:4242' }).filter((p) => p.admin)) assert.deepEqual(p.admin, ['http://127.0.0.1:4242']);
    });

    it(`${file} reads each metric from the one proxy that makes those calls, so nothing counts twice`, () => {
      // The control plane's /metrics holds every proxy's series (with a proxy label); the calling service picks one proxy's.
      const callers: Record<string, string> = { frontend: 'ingress', catalog: 'frontend', checkout: 'frontend', payments: 'checkout' };
      for (const p of providersOf(file).filter((p) => p.type === 'metric')) assert.equal(p.source, callers[p.destination!], `${p.destination} is called by ${callers[p.destination!]} only`);
    });
  }

  it('the game day halts through the control plane instead of five admin URLs', () => {
    const gameday = loadGameday(join(experiments, 'gameday.yaml'));
    assert.deepEqual(gameday.admins, [CONTROL]);
  });

  // Checked as the control plane checks it (mesh apply): its route subsets wait for instances that register.
  const meshFile = join(experiments, 'mesh.yaml');
  const applied = () => parseMeshAwaitingInstances(readTextFile(meshFile), meshFile);

  it('the applied mesh holds the policies of every service the demo runs, and no instance: those register', () => {
    const { mesh } = applied();
    assert.deepEqual(Object.keys(mesh.services).sort(), [...new Set(INSTANCES.map((i) => i.service))].sort());
    for (const [name, service] of Object.entries(mesh.services)) assert.deepEqual(service.instances, [], `${name} lists no static instance that a registration would fall back to`);
  });

  it('splits catalog (route 0) and payments (route 1) by version, with v2 at weight 0 until a canary runs', () => {
    const { mesh, warnings } = applied();
    const split = (service: string, route: number) => mesh.services[service]!.routes[route]!.to?.map((s) => [s.labels, s.weight]);
    assert.deepEqual(split('catalog', 0), [[{ version: 'v1' }, 100], [{ version: 'v2' }, 0]]);
    assert.equal(mesh.services.payments!.routes[0]!.deny, 403, 'the /admin deny stays first');
    assert.deepEqual(split('payments', 1), [[{ version: 'v1' }, 100], [{ version: 'v2' }, 0]]);
    assert.equal(warnings.length, 4, 'only the four subsets wait for registrations');
    // Each subset is served by registered instances: every v1 and v2 the mesh names runs in the shop.
    for (const service of ['catalog', 'payments']) for (const version of ['v1', 'v2']) assert.ok(INSTANCES.some((i) => i.service === service && i.version === version), `${service} runs a ${version}`);
  });

  for (const { file, caller } of DEMO_CANARIES) {
    it(`${file} sends its load through ${caller}'s sidecar, the service's one caller, and is pointed at another shop by its vars`, () => {
      const callers: Record<string, string> = { catalog: 'frontend', payments: 'checkout' };
      const fixed = loadCanary(join(experiments, file), { env: {} });
      assert.equal(callers[fixed.service], caller);
      assert.equal(fixed.control, CONTROL);
      assert.equal(fixed.load?.proxy, `http://127.0.0.1:${PROXIES.find((p) => p.name === caller)!.listen}`, 'the caller\'s sidecar on the demo\'s fixed port by default');
      assert.ok(fixed.intervalMs >= 3000 && fixed.minRequests >= 40, 'windows long enough to judge');
      const moved = loadCanary(join(experiments, file), { env: {}, vars: { control: 'http://127.0.0.1:4242', caller: 'http://127.0.0.1:4343' } });
      assert.equal(moved.control, 'http://127.0.0.1:4242');
      assert.equal(moved.load?.proxy, 'http://127.0.0.1:4343');
      for (const stage of moved.chaos) {
        const admins = stage.experiment.method.map((a) => (a.provider as Provider).admin);
        assert.deepEqual(admins, [['http://127.0.0.1:4242']], 'the chaos stage\'s fault goes through the same control plane');
      }
    });
  }
});
