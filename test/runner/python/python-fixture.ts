import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActivityContext } from '../../../runner/activity.js';
import type { Activity } from '../../../runner/experiment/activity-schema.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { FaultLedger } from '../../../runner/fault-ledger.js';
import { resolvePython, type PythonEnv } from '../../../runner/python/python-env.js';
import { TOKEN } from '../../helpers/fault-fixture.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

export const PYTHON_FIXTURES = fileURLToPath(new URL('../../fixtures/python/', import.meta.url));

/** A temporary folder holding the test modules (fm_probe, fm_control): experiments written in it find them, as the experiment's folder is on sys.path. */
export function pythonDir() {
  const dir = tempDir();
  for (const f of ['fm_probe.py', 'fm_control.py']) copyFileSync(join(PYTHON_FIXTURES, f), join(dir.path, f));
  return { ...dir, experiment: (yaml: string) => dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, yaml) };
}

export type PythonDir = ReturnType<typeof pythonDir>;

/** One activity, parsed from `yaml` (an activity mapping in flow style), as the loader gives it. */
export function activityIn(dir: PythonDir, yaml: string): Activity {
  return loadExperiment(dir.experiment(`title: t\nmethod:\n  - ${yaml}\n`)).method[0]!;
}

/** An activity context whose Python finds the folder's modules; `controller` interrupts what runs under it. */
export function pythonContext(dir: PythonDir, env: Partial<PythonEnv> = {}) {
  const controller = new AbortController();
  const ledger = new FaultLedger({ runId: 'test', leaseMs: 2000, token: TOKEN, events: {}, now: Date.now });
  const python: PythonEnv = { choice: resolvePython(), sysPath: [dir.path], configuration: {}, secrets: {}, ...env };
  const ctx: ActivityContext = { signal: controller.signal, ledger, now: Date.now, python };
  return { ctx, controller };
}
