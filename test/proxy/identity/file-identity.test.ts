import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import { FileIdentity } from '../../../proxy/identity/file-identity.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { fakeTimers } from '../../helpers/fake-timers.js';
import { TD, writeIdentity } from '../transport/outbound-fixture.js';

describe('the expiry warning of a certificate read from files', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'), {});
  });
  after(() => tmp.remove());

  /** Files for a certificate valid from a minute ago (the CA's clock skew) for `ttlMs` more. */
  const filesFor = async (name: string, ttlMs: number) => {
    mkdirSync(tmp.sub(name));
    return writeIdentity(tmp.sub(name), await ca.issue({ service: 'checkout', ttlMs }));
  };

  it('warns once when a third of the lifetime is left and nothing renewed it, and again when it expires', async () => {
    // Lifetime 60 s of skew + 120 s = 180 s: the warning is due at 120 s from notBefore, 60 s from now.
    const paths = await filesFor('short', 120_000);
    const clock = fakeTimers(Date.now());
    const lines: string[] = [];
    const id = new FileIdentity({ paths, trustDomain: TD, log: (l) => lines.push(l), timers: clock });
    assert.equal(lines.length, 1, 'only the start line');
    await clock.advance(55_000);
    assert.equal(lines.length, 1, 'not yet: more than a third is left');
    await clock.advance(10_000);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^identity serial [0-9A-F]+ expires at .*, with less than a third of its lifetime left, and nothing renewed it: write new files to .*cert\.pem and .*key\.pem, then send SIGHUP$/);
    await clock.advance(60_000);
    assert.equal(lines.length, 3);
    assert.match(lines[2]!, /expired at .*: peers refuse new connections from this proxy until new files are loaded \(SIGHUP\)/);
    id.close();
    assert.equal(clock.pending(), 0, 'no timer left behind');
  });

  it('says nothing more once a reload brought a renewed certificate', async () => {
    const paths = await filesFor('renewed', 120_000);
    const clock = fakeTimers(Date.now());
    const lines: string[] = [];
    const id = new FileIdentity({ paths, trustDomain: TD, log: (l) => lines.push(l), timers: clock });
    writeIdentity(tmp.sub('renewed'), await ca.issue({ service: 'checkout' })); // 24 h
    assert.equal(id.reload().ok, true);
    await clock.advance(200_000);
    assert.equal(lines.filter((l) => /expire/.test(l)).length, 0, lines.join('\n'));
    id.close();
  });

  it('warns at once when started on a certificate already in its last third', async () => {
    const paths = await filesFor('late', 10_000); // 70 s lifetime, 60 s of it gone
    const lines: string[] = [];
    const id = new FileIdentity({ paths, trustDomain: TD, log: (l) => lines.push(l), timers: fakeTimers(Date.now()) });
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /less than a third of its lifetime left/);
    id.close();
  });
});
