import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { startStandInControl, type StandInControl } from './sources/control/stand-in-control.js';

describe('--register with a region and zone of its own', () => {
  let control: StandInControl;
  before(async () => (control = await startStandInControl({})));
  after(() => control.close());

  it('registers each instance where it says it runs, and the rest where the sidecar runs', async () => {
    // One sidecar fronting instances in two zones, as each of the demo's sidecars does.
    const child = spawnCli([
      'proxy', '--control', control.url, '--service', 'payments', '--region', 'eu-west', '--zone', 'eu-west-1a',
      '--register', 'pay-eu-2=127.0.0.1:18112,zone=eu-west-1b',
      '--register', 'pay-us-1=127.0.0.1:18113,region=us-east,zone=us-east-1a',
      '--register', 'pay-eu-1=127.0.0.1:18111',
      '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off',
    ]);
    try {
      await waitForLine(child, /admin on http:\/\/\S+/);
      await waitFor(() => control.registrations.size === 3, 'all three instances registered');
      const placed = (id: string) => {
        const r = control.registrations.get(`payments/${id}`)!;
        return { address: r.address, region: r.region, zone: r.zone };
      };
      assert.deepEqual(placed('pay-eu-2'), { address: '127.0.0.1:18112', region: 'eu-west', zone: 'eu-west-1b' }, 'its own zone, the sidecar\'s region');
      assert.deepEqual(placed('pay-us-1'), { address: '127.0.0.1:18113', region: 'us-east', zone: 'us-east-1a' });
      assert.deepEqual(placed('pay-eu-1'), { address: '127.0.0.1:18111', region: 'eu-west', zone: 'eu-west-1a' }, 'the old form: the sidecar\'s place');
      child.kill('SIGTERM');
      await once(child, 'exit');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('gives an instance its own labels with label.KEY=VALUE, added to and over the --label ones', async () => {
    const child = spawnCli([
      'proxy', '--control', control.url, '--service', 'catalog', '--label', 'version=v1', '--label', 'team=shop',
      '--register', 'catalog-v2=127.0.0.1:18095,zone=eu-west-1a,label.version=v2,label.track=canary',
      '--register', 'catalog-v1=127.0.0.1:18094',
      '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off',
    ]);
    try {
      await waitForLine(child, /admin on http:\/\/\S+/);
      await waitFor(() => control.registrations.has('catalog/catalog-v2') && control.registrations.has('catalog/catalog-v1'), 'both instances registered');
      assert.deepEqual(control.registrations.get('catalog/catalog-v2')!.labels, { version: 'v2', team: 'shop', track: 'canary' });
      assert.equal(control.registrations.get('catalog/catalog-v2')!.zone, 'eu-west-1a');
      assert.deepEqual(control.registrations.get('catalog/catalog-v1')!.labels, { version: 'v1', team: 'shop' }, 'the other instance keeps the sidecar\'s labels');
      child.kill('SIGTERM');
      await once(child, 'exit');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  for (const [what, register, message] of [
    ['an unknown key', 'p-1=127.0.0.1:1,colour=red', /--register: "colour=red" in "p-1=127\.0\.0\.1:1,colour=red" is not region=R, zone=Z or label\.KEY=VALUE/],
    ['a zone given twice', 'p-1=127.0.0.1:1,zone=a,zone=b', /--register: "p-1=127\.0\.0\.1:1,zone=a,zone=b" gives zone twice/],
    ['an empty region', 'p-1=127.0.0.1:1,region=', /--register: "region=" in .* is not region=R, zone=Z or label\.KEY=VALUE/],
    ['a label without a value', 'p-1=127.0.0.1:1,label.version', /--register: "label\.version" in .* is not label\.KEY=VALUE/],
    ['a label without a key', 'p-1=127.0.0.1:1,label.=v2', /--register: "label\.=v2" in .* is not label\.KEY=VALUE/],
    ['a label given twice', 'p-1=127.0.0.1:1,label.version=v1,label.version=v2', /--register: ".*" gives label version twice/],
  ] as const) {
    it(`exits 2 for ${what}, naming the flag`, async () => {
      const run = await runCli(['proxy', '--control', control.url, '--service', 'payments', '--register', register, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
