import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CertificateAuthority } from '../control/ca/authority.js';
import { startChild } from '../demo/children.js';
import { openLoop } from './load.js';
import { fmt, median, table } from './print.js';
// npm run bench (after the data-plane bench) or npm run bench:mtls: two hops,
// an outbound sidecar and the destination's inbound sidecar, with mutual TLS
// between them and without, at a fixed rate, in the same run. The target of
// issue #17: TLS adds at most 0.5 ms to p99. Keep-alive and TLS session
// resumption should make handshakes rare: the outbound sidecar's handshake
// counter is printed per thousand requests.
const RATE = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5) * 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_ADDED_P99_MS = 0.5;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const main = here('../cli/main.js');
/** A port the OS has just given out and taken back: the inbound listener's, which the mesh file must name before it starts. */
function freePort() {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}
/** Certificates for the caller and the destination from a fresh CA, as `faultmesh ca issue` writes them. */
async function issueCertificates(dir) {
    const ca = await CertificateAuthority.init(join(dir, 'ca'), {});
    const out = {};
    for (const service of ['client', 'bench']) {
        const issued = await ca.issue({ service });
        const d = join(dir, service);
        mkdirSync(d);
        const files = { cert: join(d, 'cert.pem'), key: join(d, 'key.pem'), ca: join(d, 'ca.pem') };
        writeFileSync(files.cert, issued.certificatePem + issued.chainPem);
        writeFileSync(files.key, issued.privateKeyPem, { mode: 0o600 });
        writeFileSync(files.ca, issued.trustBundlePem);
        out[service] = files;
    }
    return out;
}
const flagsOf = (f) => ['--cert', f.cert, '--key', f.key, '--ca', f.ca];
/** Handshakes the outbound sidecar made, resumed or full, from its /metrics. */
async function handshakes(admin) {
    const text = await (await fetch(`${admin}/metrics`)).text();
    const sum = (resumed) => text
        .split('\n')
        .filter((l) => l.startsWith('faultmesh_upstream_tls_handshakes_total{') && l.includes(`resumed="${resumed}"`))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return { full: sum('false'), resumed: sum('true') };
}
/** The sum of one counter's series in a proxy's /metrics. */
async function counter(admin, name) {
    const text = await (await fetch(`${admin}/metrics`)).text();
    return text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
export async function mtlsBench() {
    const dir = mkdtempSync(join(tmpdir(), 'faultmesh-bench-mtls-'));
    const children = [];
    const start = async (script, args, name) => {
        const child = await startChild(script, args, { name });
        children.push(child);
        return child;
    };
    try {
        const certs = await issueCertificates(dir);
        const upstream = await start(here('./upstream.js'), [], 'upstream');
        const [tlsPort, plainPort] = [await freePort(), await freePort()];
        const app = `127.0.0.1:${upstream.port}`;
        const meshFile = join(dir, 'mesh.yaml');
        writeFileSync(meshFile, `services:
  bench:
    tls: mutual
    instances: [{ id: bench-1, address: 127.0.0.1:${tlsPort} }]
  bench-plain:
    tls: off
    instances: [{ id: bench-plain-1, address: 127.0.0.1:${plainPort} }]
`);
        // The inbound sidecars read the same mesh: it holds the (absent) authorization policy of their service.
        const inbound = (port, mode, name) => start(main, ['proxy', '--service', 'bench', '--mesh', meshFile, '--inbound', `127.0.0.1:${port}`, '--app', app, '--inbound-tls', mode, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', join(dir, `${name}.log`), ...flagsOf(certs.bench)], name);
        const inboundTls = await inbound(tlsPort, 'mutual', 'inbound-mtls');
        const inboundPlain = await inbound(plainPort, 'permissive', 'inbound-plain');
        const outbound = await start(main, ['proxy', '--service', 'client', '--mesh', meshFile, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', join(dir, 'outbound.log'), ...flagsOf(certs.client)], 'outbound');
        const origin = `http://127.0.0.1:${outbound.port}`;
        // node's own http/https pipes in the same two-hop shapes: what node:tls alone adds, to read faultmesh's figure against.
        const reference = (mode, next, certDir) => start(here('./tls-reference-proxy.js'), [mode, String(next), ...(certDir ? [certDir] : [])], `reference ${mode}`);
        const certDir = (f) => join(f.cert, '..');
        const refPlain = await reference('out-plain', (await reference('in-plain', upstream.port)).port);
        const refTls = await reference('out-tls', (await reference('in-tls', upstream.port, certDir(certs.bench))).port, certDir(certs.client));
        // The processes each path runs through, whose CPU it costs (the outbound sidecar serves both two-hop paths, one round at a time).
        const paths = [
            { name: 'direct', origin: `http://${app}`, host: 'bench', through: [] },
            { name: 'two hops, plaintext', origin, host: 'bench-plain', through: [outbound, inboundPlain] },
            { name: 'two hops, mTLS', origin, host: 'bench', through: [outbound, inboundTls] },
            { name: 'reference two hops, plaintext', origin: `http://127.0.0.1:${refPlain.port}`, host: 'bench', through: [] },
            { name: 'reference two hops, TLS', origin: `http://127.0.0.1:${refTls.port}`, host: 'bench', through: [] },
        ];
        for (const p of paths)
            await openLoop(p.origin, p.host, RATE, 1); // warm up JITs, pools and the TLS session
        const before = await handshakes(outbound.adminUrl);
        const results = new Map(paths.map((p) => [p.name, []]));
        const cpuOf = (children) => children.reduce((ms, c) => ms + c.cpuMs(), 0);
        for (let round = 0; round < ROUNDS; round++) {
            for (let i = 0; i < paths.length; i++) {
                const p = paths[(i + round) % paths.length];
                const cpuBefore = cpuOf(p.through);
                const r = await openLoop(p.origin, p.host, RATE, SECONDS);
                results.get(p.name).push({ ...r, cpuUs: ((cpuOf(p.through) - cpuBefore) * 1000) / (RATE * SECONDS) });
            }
        }
        const after = await handshakes(outbound.adminUrl);
        // The paths are what they say: the plaintext one was served in plaintext, and the mTLS one saw handshakes (in the warm-up).
        const plaintextServed = await counter(inboundPlain.adminUrl, 'faultmesh_inbound_plaintext_total');
        const tlsServed = await counter(inboundTls.adminUrl, 'faultmesh_inbound_requests_total');
        if (plaintextServed === 0 || tlsServed === 0 || after.full === 0)
            throw new Error(`the mTLS bench did not measure what it says: ${plaintextServed} plaintext requests at the permissive inbound, ${tlsServed} at the mutual one, ${after.full} full handshakes`);
        const get = (name) => {
            const rs = results.get(name);
            return { p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), errors: rs.reduce((n, r) => n + r.errors, 0), cpuUs: median(rs.map((r) => r.cpuUs)) };
        };
        const direct = get('direct');
        console.log(`\nmTLS between sidecars: ${RATE} req/s open loop, ${ROUNDS} rounds x ${SECONDS}s per path (median); "added" is over direct`);
        table(['path', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'sidecars CPU µs/req', 'errors'], paths.map((p) => {
            const r = get(p.name);
            return [p.name, fmt(r.p50, 3), fmt(r.p99, 3), fmt(r.p50 - direct.p50, 3), fmt(r.p99 - direct.p99, 3), p.through.length ? fmt(r.cpuUs, 1) : '-', String(r.errors)];
        }));
        const tls = get('two hops, mTLS');
        const plain = get('two hops, plaintext');
        const mtlsRequests = RATE * SECONDS * ROUNDS;
        const full = after.full - before.full;
        const resumed = after.resumed - before.resumed;
        console.log(`TLS handshakes by the outbound sidecar: ${before.full} full and ${before.resumed} resumed in the warm-up; ${full} full and ${resumed} resumed during the ${mtlsRequests} measured mTLS requests (${fmt((1000 * (full + resumed)) / mtlsRequests, 3)} per 1000: keep-alive connections carry the calls)`);
        const addedP99 = tls.p99 - plain.p99;
        const refTlsR = get('reference two hops, TLS');
        const refPlainR = get('reference two hops, plaintext');
        console.log(`TLS over plaintext with node's own http/https pipes (the reference): p50 ${fmt(refTlsR.p50 - refPlainR.p50, 3)} ms, p99 ${fmt(refTlsR.p99 - refPlainR.p99, 3)} ms`);
        console.log(`- mTLS over plaintext, two hops at ${RATE} req/s: p50 ${fmt(tls.p50 - plain.p50, 3)} ms, p99 ${fmt(addedP99, 3)} ms (target p99 <= +${TARGET_ADDED_P99_MS} ms): ${addedP99 <= TARGET_ADDED_P99_MS ? 'met' : 'NOT met'}`);
    }
    finally {
        await Promise.all(children.map((c) => c.stop()));
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=mtls.js.map