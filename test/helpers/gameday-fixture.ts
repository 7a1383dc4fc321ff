import type { Clock } from '../../runner/gameday/clock.js';
import { tempDir } from './mesh-fixture.js';

/** A clock that jumps to whatever time the game day waits for: a day's schedule in an instant. */
export function fakeClock(startIso: string): Clock & { readonly waits: number[] } {
  let t = Date.parse(startIso);
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    async sleepUntil(until, signal) {
      waits.push(until);
      if (!signal.aborted && until > t) t = until;
      await Promise.resolve();
    },
  };
}

/**
 * A folder with quick experiments: `mark.yaml` appends its `${name}` var to
 * `log`; `fail.yaml` fails its steady state before anything runs.
 */
export function gamedayFolder() {
  const dir = tempDir();
  const log = dir.file('order.log', '');
  const node = JSON.stringify(process.execPath);
  dir.file(
    'mark.yaml',
    `title: mark
configuration: { name: unnamed }
method:
  - { type: action, name: mark, provider: { type: process, path: ${node}, arguments: ["-e", "require('fs').appendFileSync(${JSON.stringify(log).replace(/"/g, "'")}, '\${name};')"] } }
`,
  );
  dir.file(
    'fail.yaml',
    `title: fails before
steady-state-hypothesis:
  title: never
  probes:
    - { type: probe, name: exits-1, tolerance: 0, provider: { type: process, path: ${node}, arguments: ["-e", "process.exit(1)"] } }
method:
  - { type: action, name: noop, provider: { type: process, path: ${node}, arguments: ["-e", "0"] } }
`,
  );
  return { dir, log, gameday: (yaml: string) => dir.file(`gameday-${Math.random().toString(36).slice(2)}.yaml`, yaml) };
}
