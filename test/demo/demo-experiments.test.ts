import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_EXPERIMENTS } from '../../demo/shop/run-demo.js';
import { INSTANCES } from '../../demo/shop/topology.js';
import { loadMeshFile } from '../../proxy/config/load-mesh.js';
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

  it('the applied mesh holds the policies of every service the demo runs, and no instance: those register', () => {
    const mesh = loadMeshFile(join(experiments, 'mesh.yaml'));
    assert.deepEqual(Object.keys(mesh.services).sort(), [...new Set(INSTANCES.map((i) => i.service))].sort());
    for (const [name, service] of Object.entries(mesh.services)) assert.deepEqual(service.instances, [], `${name} lists no static instance that a registration would fall back to`);
  });
});
