import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { fmt, table } from './control/figures.js';
import { etcdInstalled } from './etcd-cluster.js';
import { percentile } from './load.js';
import { startTrialDeployment } from './lease-trials/deployment.js';
import { runTrials } from './lease-trials/trials.js';
// npm run bench:leases: the failure rule "the runner dies mid-fault", repeated.
// Each trial's holder grants an etcd lease through a control replica, hangs a
// fault on it, renews it, and is SIGKILLed at a random moment of its renewal
// cycle; the bench times until no proxy lists the fault. Exit 1 when a fault
// outlived its lease by more than 1 s, 2 for a bad flag.
const OUTLIVED_MS = 1_000;
class UsageError extends Error {
}
function whole(flag, text, min, max) {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max)
        throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
    return n;
}
function settings() {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                trials: { type: 'string', default: process.env.LEASE_TRIALS ?? '100' },
                ttl: { type: 'string', default: '2000' },
                parallel: { type: 'string', default: '3' },
                replicas: { type: 'string', default: '2' },
                proxies: { type: 'string', default: '4' },
                seed: { type: 'string', default: 'lease-trials' },
            },
        }));
    }
    catch (err) {
        throw new UsageError(err.message);
    }
    return {
        trials: whole('trials', values.trials, 1, 10_000),
        ttlMs: whole('ttl', values.ttl, 1_000, 60_000),
        parallel: whole('parallel', values.parallel, 1, 20),
        replicas: whole('replicas', values.replicas, 1, 5),
        proxies: whole('proxies', values.proxies, 1, 20),
        seed: values.seed,
    };
}
function row(name, values) {
    const sorted = [...values].sort((a, b) => a - b);
    return [name, String(sorted.length), ...[sorted[0] ?? NaN, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1] ?? NaN].map((v) => fmt(v, 0))];
}
async function main() {
    const s = settings();
    if (!etcdInstalled())
        throw new UsageError('etcd is not installed (apt-get install -y etcd-server, or FAULTMESH_ETCD_BIN)');
    console.log(`\nfaultmesh lease trials: ${s.trials} holders SIGKILLed mid-fault (${s.parallel} at a time), each on its own ${s.ttlMs} ms etcd lease granted through one of ${s.replicas} control replicas; ${s.proxies} proxies spread over them, polled every 20 ms`);
    const started = Date.now();
    const d = await startTrialDeployment({ replicas: s.replicas, proxies: s.proxies });
    let results;
    try {
        results = await runTrials(d, {
            trials: s.trials,
            parallel: s.parallel,
            ttlMs: s.ttlMs,
            random: seedrandom(s.seed),
            onResult: (done) => {
                if (done % 10 === 0 && done < s.trials)
                    console.log(`  ${done} of ${s.trials} trials done`);
            },
        });
    }
    finally {
        await d.stop();
    }
    const granted = [...new Set(results.map((r) => r.ttlMs))].join(', ');
    const outlived = results.filter((r) => r.timedOut || r.fromLeaseEndMs > OUTLIVED_MS);
    console.log(`\ntime until no proxy lists the fault (ms; lease granted: ${granted} ms)`);
    table(['measured from', 'n', 'min', 'p50', 'p90', 'p99', 'max'], [row('the SIGKILL', results.map((r) => r.fromKillMs)), row("the lease's end", results.map((r) => r.fromLeaseEndMs))]);
    for (const r of outlived)
        console.log(`  ${r.fault}: ${r.timedOut ? 'never removed' : `removed ${r.fromLeaseEndMs} ms after its lease's end`}`);
    console.log(`\nlease trials: ${outlived.length} of ${results.length} faults outlived their lease + 1 s (target 0), in ${fmt((Date.now() - started) / 1000, 0)} s`);
    if (outlived.length > 0)
        process.exitCode = 1;
}
main().then(() => process.exit(), (err) => {
    if (err instanceof UsageError) {
        console.error(`bench:leases: ${err.message}`);
        process.exit(2);
    }
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=lease-trials.js.map