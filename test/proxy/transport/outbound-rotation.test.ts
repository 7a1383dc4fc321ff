import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { send } from '../../helpers/http-client.js';
import { startTestProxy } from '../../helpers/mesh-fixture.js';
import { sameSerial, startMtlsUpstream, TD, writeIdentity, type MtlsUpstream, type SeenByUpstream } from './outbound-fixture.js';

describe('reloading the identity files (SIGHUP) in a running sidecar', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let payments: MtlsUpstream;
  let proxy: RunningProxy;
  let files: { cert: string; key: string; ca: string };
  const lines: string[] = [];

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    payments = await startMtlsUpstream(await ca.issue({ service: 'payments' }), ca.trustBundlePem);
    const meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, `services:\n  payments: { tls: mutual, instances: [ { id: pay-1, address: 127.0.0.1:${payments.port} } ] }\n`);
    mkdirSync(tmp.sub('id'));
    files = writeIdentity(tmp.sub('id'), await ca.issue({ service: 'checkout' }));
    proxy = await startTestProxy(meshFile, { identity: { kind: 'files', ...files, trustDomain: TD }, log: (line) => lines.push(line) });
  });
  after(async () => {
    await proxy?.close(500);
    await payments?.close();
    tmp.remove();
  });

  /** A call on the open connection, then one the server closes, so the next call is on a new connection. */
  const seen = async (path = '/') => (await send(proxy.proxyUrl, { path, headers: { host: 'payments' } })).json<SeenByUpstream>();

  it('logs the identity it starts with, without key material', () => {
    assert.match(lines[0] ?? '', /^identity spiffe:\/\/faultmesh\.local\/service\/checkout from .*cert\.pem: serial [0-9A-F]+, valid until \d{4}-/);
    assert.doesNotMatch(lines.join('\n'), /PRIVATE KEY|BEGIN/);
  });

  it('presents the new certificate on new connections once reloaded, while the open connection carries on', async () => {
    const first = await seen();
    const renewed = await ca.issue({ service: 'checkout' });
    writeIdentity(tmp.sub('id'), renewed);
    const result = proxy.reloadIdentity!();
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.changed && sameSerial(result.serial, renewed.serial));
    assert.match(lines.at(-1)!, new RegExp(`identity reloaded from .*cert\\.pem: serial ${result.serial}, valid until .*; new connections use it`));
    // The connection open before the reload keeps its handshake's certificate...
    const open = await seen('/close');
    assert.equal(open.serial, first.serial);
    // ...and the next one presents the new certificate, with a full handshake (an old ticket would carry the old one).
    const next = await seen();
    assert.ok(sameSerial(next.serial, renewed.serial), `the server sees serial ${next.serial}`);
    assert.equal(next.resumed, false);
    assert.equal(next.peer, 'checkout');
  });

  it('keeps the identity in force when a reloaded file is broken, and names the file', async () => {
    const before = await seen('/close');
    writeFileSync(files.cert, 'not a certificate\n');
    const result = proxy.reloadIdentity!();
    assert.equal(result.ok, false);
    assert.match(lines.at(-1)!, /^identity reload refused, keeping serial [0-9A-F]+ \(valid until .*\): .*cert\.pem: holds no PEM certificate/);
    const after = await seen();
    assert.equal(after.serial, before.serial, 'new connections still present the certificate in force');
  });

  it('refuses a reloaded certificate for another service', async () => {
    writeIdentity(tmp.sub('id'), await ca.issue({ service: 'orders' }));
    const result = proxy.reloadIdentity!();
    assert.equal(result.ok, false);
    assert.match(lines.at(-1)!, /identity reload refused, keeping serial .*: .*cert\.pem: the new certificate is for service "orders", this proxy is "checkout"/);
    assert.equal((await seen()).peer, 'checkout');
  });
});
