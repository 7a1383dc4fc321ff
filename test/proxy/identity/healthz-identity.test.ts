import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { send } from '../../helpers/http-client.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { startTestProxy } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { TD, writeIdentity } from '../transport/outbound-fixture.js';

interface Health {
  ready: boolean;
  notReadyReason?: string;
  certificate: { service: string; spiffeId: string; notAfter: string; expired: boolean } | null;
}

describe("a proxy's /healthz and its certificate", () => {
  const tmp = scratchDir();
  let proxy: RunningProxy;
  let notAfter: Date;
  before(async () => {
    const ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    // Valid for 8 s: long enough to start with on a busy machine, short enough to see it expire.
    const issued = await ca.issue({ service: 'checkout', ttlMs: 8_000 });
    notAfter = issued.notAfter;
    mkdirSync(tmp.sub('checkout'));
    const meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, 'services:\n  payments: { tls: mutual, instances: [ { id: p1, address: 127.0.0.1:9 } ] }\n');
    proxy = await startTestProxy(meshFile, { identity: { kind: 'files', ...writeIdentity(tmp.sub('checkout'), issued), trustDomain: TD }, log: () => {} });
  });
  after(async () => {
    await proxy?.close(500);
    tmp.remove();
  });

  const health = async () => (await send(proxy.adminUrl, { path: '/healthz' })).json<Health>();

  it('shows the certificate without its key, and is not ready once it expired', async () => {
    const fresh = await health();
    assert.equal(fresh.ready, true);
    assert.deepEqual(fresh.certificate, { service: 'checkout', spiffeId: 'spiffe://faultmesh.local/service/checkout', notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000).toISOString(), expired: false }); // X.509 times are whole seconds
    assert.ok(!JSON.stringify(fresh).includes('PRIVATE KEY'));
    await waitFor(async () => (await health()).certificate?.expired === true, 'the certificate is reported expired');
    const stale = await health();
    assert.equal(stale.ready, false);
    assert.match(stale.notReadyReason ?? '', /^its certificate expired at .*: peers refuse its mTLS connections until a renewal succeeds$/);
  });
});
