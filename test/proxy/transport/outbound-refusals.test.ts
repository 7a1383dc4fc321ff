import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import { parseMesh } from '../../../proxy/config/load-mesh.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { send } from '../../helpers/http-client.js';
import { startTestProxy } from '../../helpers/mesh-fixture.js';
import { startMtlsUpstream, TD, writeIdentity, type MtlsUpstream } from './outbound-fixture.js';

describe('what the hpm path cannot carry over mTLS is refused plainly or sent through undici, never sent in clear', () => {
  const tmp = scratchDir();
  let payments: MtlsUpstream;
  let proxy: RunningProxy;

  before(async () => {
    const ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    payments = await startMtlsUpstream(await ca.issue({ service: 'payments' }), ca.trustBundlePem);
    const meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, `services:\n  payments: { tls: mutual, instances: [ { id: pay-1, address: 127.0.0.1:${payments.port} } ] }\n`);
    mkdirSync(tmp.sub('id'));
    const files = writeIdentity(tmp.sub('id'), await ca.issue({ service: 'checkout' }));
    proxy = await startTestProxy(meshFile, { identity: { kind: 'files', ...files, trustDomain: TD }, forwarder: 'hpm', log: () => {} });
  });
  after(async () => {
    await proxy?.close(500);
    await payments?.close();
    tmp.remove();
  });

  it('refuses forwarder: hpm with tls: mutual in a mesh file, naming the field', () => {
    assert.throws(
      () => parseMesh('services:\n  payments:\n    forwarder: hpm\n    tls: mutual\n    instances: [ { id: pay-1, address: 127.0.0.1:1 } ]\n', 'mesh.yaml'),
      /mesh\.yaml:3:\d+ services\.payments\.forwarder: forwarder: hpm cannot do tls: mutual; remove forwarder: \(undici is the default\) or set tls: off/,
    );
  });

  it('calls a tls: mutual service through undici when the proxy runs with --forwarder hpm (the hpm forwarder has no mTLS)', async () => {
    const before = payments.connections();
    const r = await send(proxy.proxyUrl, { headers: { host: 'payments' } });
    assert.equal(r.status, 200, r.text());
    assert.equal(payments.connections(), before + 1, 'over one mTLS connection to the instance');
  });

  it('answers 502 TLS_UNSUPPORTED to a connection upgrade (WebSocket) to a tls: mutual service', async () => {
    const before = payments.connections();
    const r = await send(proxy.proxyUrl, { headers: { host: 'payments', connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    assert.equal(r.status, 502);
    assert.equal(r.headers['x-faultmesh-error'], 'TLS_UNSUPPORTED');
    assert.match(r.json<{ message: string }>().message, /connection upgrades \(WebSocket\) cannot do mutual TLS/);
    assert.equal(payments.connections(), before, 'no connection for the upgrade');
  });
});
