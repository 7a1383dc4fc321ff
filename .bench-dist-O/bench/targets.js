import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../demo/children.js';
import { installUnrelatedRules } from './install-rules.js';
/** Fault rules installed on faultmesh+RULES, none aimed at the bench's service. */
export const RULES = 1000;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
/**
 * The resilience layer fully on, as a team would run it: retries with a
 * per-try timeout and budget, outlier detection, peak-EWMA over two
 * instances (both on the one upstream), locality by zone. Nothing fails,
 * so this measures what the layer costs on the happy path. Off: the
 * baseline the layer's cost is measured against.
 */
function benchMesh(port, resilience) {
    if (!resilience) {
        return `services:
  bench:
    policy: { retries: { attempts: 0 }, outlierDetection: { enabled: false } }
    instances:
      - { id: bench-1, address: 127.0.0.1:${port} }
`;
    }
    return `services:
  bench:
    policy:
      timeout: 5s
      retries: { attempts: 2, perTryTimeout: 1s, retryOn: [5xx, reset, connect-failure] }
      outlierDetection: { consecutive5xx: 5, slow: { above: 1s, consecutive: 5 } }
      loadBalancer: peak-ewma
      locality: { prefer: zone }
    instances:
      - { id: bench-1, address: 127.0.0.1:${port}, region: local, zone: local-a }
      - { id: bench-2, address: 127.0.0.1:${port}, region: local, zone: local-a }
`;
}
/**
 * Starts the upstream, then every target in its own process: direct (the
 * upstream itself), the two references, and faultmesh in each variant the
 * issue sets a target for, every one with its access log on, to a file in
 * `dir`. A target that fails to start (the CLI refuses a flag this build
 * lacks, such as --workers before it exists) is skipped with the reason,
 * and the run goes on without it. `only`, when given, keeps those targets
 * (direct always runs: "added" latency is measured over it).
 */
export async function startTargets(dir, only) {
    const children = [];
    const upstream = await startChild(here('./upstream.js'), [], { name: 'upstream' });
    children.push(upstream);
    const targets = [{ name: 'direct', port: upstream.port, host: 'bench', process: upstream }];
    const skipped = [];
    const meshFile = join(dir, 'mesh.yaml');
    writeFileSync(meshFile, benchMesh(upstream.port, true));
    const bareMeshFile = join(dir, 'bare.yaml');
    writeFileSync(bareMeshFile, benchMesh(upstream.port, false));
    const faultmesh = (name, extra = [], mesh = meshFile) => () => startChild(here('../cli/main.js'), ['proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--zone', 'local-a', '--region', 'local', '--access-log', join(dir, `${name}.log`), ...extra], { name });
    const specs = [
        { name: 'reference', start: () => startChild(here('./reference-proxy.js'), [String(upstream.port)], { name: 'reference' }) },
        { name: 'hpm-only', start: () => startChild(here('./hpm-proxy.js'), [String(upstream.port)], { name: 'hpm-only' }) },
        { name: 'faultmesh-bare', start: faultmesh('faultmesh-bare', [], bareMeshFile) },
        { name: 'faultmesh', start: faultmesh('faultmesh') },
        { name: 'faultmesh-hpm', start: faultmesh('faultmesh-hpm', ['--forwarder', 'hpm']) },
        { name: `faultmesh+${RULES}`, start: faultmesh(`faultmesh+${RULES}`), prepare: (child) => installUnrelatedRules(child.adminUrl, RULES) },
        { name: 'faultmesh-w2', start: faultmesh('faultmesh-w2', ['--workers', '2']) },
    ];
    for (const spec of specs) {
        if (only && !only.has(spec.name))
            continue;
        let child;
        try {
            child = await spec.start();
            children.push(child);
            await spec.prepare?.(child);
            targets.push({ name: spec.name, port: child.port, host: 'bench', process: child });
        }
        catch (err) {
            await child?.stop();
            skipped.push({ name: spec.name, why: lastLine(err.message) });
        }
    }
    return { targets, skipped, children };
}
/** The line of a start failure that says why: startChild ends its message with the child's last words (yargs: "Unknown argument: workers"). */
function lastLine(message) {
    const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
    return lines.at(-1)?.replace(/^faultmesh: /, '') ?? 'failed to start';
}
//# sourceMappingURL=targets.js.map