import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority, type IssuedIdentity } from '../../../control/ca/authority.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { startCluster, type Cluster } from '../cluster/cluster-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { sameSerial, startMtlsUpstream, writeIdentity, type MtlsUpstream, type SeenByUpstream } from './outbound-fixture.js';

describe('identity files in cluster mode (--workers 2)', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let payments: MtlsUpstream;
  let cluster: Cluster;
  let first: IssuedIdentity;

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    payments = await startMtlsUpstream(await ca.issue({ service: 'payments' }), ca.trustBundlePem);
    const meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, `services:\n  payments: { tls: mutual, instances: [ { id: pay-1, address: 127.0.0.1:${payments.port} } ] }\n`);
    mkdirSync(tmp.sub('id'));
    first = await ca.issue({ service: 'checkout' });
    const files = writeIdentity(tmp.sub('id'), first);
    cluster = await startCluster([], { workers: 2, source: () => ['--mesh', meshFile, '--cert', files.cert, '--key', files.key, '--ca', files.ca] });
  });
  after(async () => {
    await cluster?.stop();
    await payments?.close();
    tmp.remove();
  });

  const serials = async (path: string, n: number) => (await cluster.calls('payments', n, path)).map((r) => r.json<SeenByUpstream>().serial);

  it('has every worker present the primary\'s certificate, and after SIGHUP the renewed one', async () => {
    for (const serial of await serials('/before', 4)) assert.ok(sameSerial(serial, first.serial));
    const workers = new Set((await cluster.logLines('/before', 4)).map((l) => l.worker));
    assert.equal(workers.size, 2, 'both workers served');
    assert.equal(payments.handshakes(), 2, 'one connection per worker');

    const renewed = await ca.issue({ service: 'checkout' });
    writeIdentity(tmp.sub('id'), renewed);
    cluster.child.kill('SIGHUP');
    await waitFor(() => /identity reloaded/.test(cluster.stderr()), 'the primary reloads the files');
    // Each worker's open upstream connection ends after its answer; every later one is new.
    await serials('/close', 2);
    const after = await serials('/after', 4);
    for (const serial of after) assert.ok(sameSerial(serial, renewed.serial), `serial ${serial}`);
    assert.equal(new Set((await cluster.logLines('/after', 4)).map((l) => l.worker)).size, 2, 'both workers served with the renewed certificate');
  });
});
