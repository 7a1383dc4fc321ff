import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';
import { runDemoCanaries } from '../../demo/shop/run-canaries.js';
import { startShop, type Shop } from '../../demo/shop/start-shop.js';
import type { CanaryJournal } from '../../runner/canary/canary-types.js';
import { send } from '../helpers/http-client.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const experiments = fileURLToPath(new URL('../../experiments', import.meta.url));

describe('the demo\'s canaries, interrupted', () => {
  const dir = tempDir();
  let shop: Shop | undefined;
  before(async () => {
    shop = await startShop({ meshFile: join(experiments, 'mesh.yaml'), ephemeralPorts: true, log: () => {} });
  }, { timeout: 4 * STARTUP_TIMEOUT_MS });
  after(async () => {
    await shop?.stop();
    dir.remove();
  });

  it('Ctrl-C while catalog v2 takes 10% rolls it back at once, leaves no weight behind, and starts no other canary', async () => {
    const ctrlC = new AbortController();
    const lines: string[] = [];
    const out = join(dir.path, 'canaries');
    const canaries = await runDemoCanaries(shop!, {
      experimentsDir: experiments,
      outDir: out,
      interrupt: ctrlC.signal,
      log: (line) => {
        lines.push(line);
        // The first weight is set: interrupt as a user would, mid-step.
        if (/catalog-v2: 10% of catalog route 0 to \{version: v2\}/.test(line)) ctrlC.abort('SIGINT');
      },
    });
    assert.deepEqual(canaries.map((c) => [c.name, c.outcome]), [['catalog-v2', 'aborted']], lines.join('\n'));
    // On a busy machine the demo adds its one caveat (demo-verdict.ts); nothing else may follow the decision.
    assert.match(canaries[0]!.sentence, /^Aborted at 10% \(SIGINT\): traffic returned to stable\.( Not judged: this machine was too busy \([^)]*\), so this decision may be the machine's rather than the release's; traffic is back on \{[^}]*\} all the same\.)?$/);
    const journal = JSON.parse(readFileSync(join(out, 'catalog-v2-canary.json'), 'utf8')) as CanaryJournal;
    assert.equal(journal.status, 'aborted');
    assert.equal(journal.judgements.length, 0, 'stopped before its first window closed');
    assert.ok(existsSync(canaries[0]!.report!), 'the report is written all the same');
    const overrides = (await send(shop!.control, { path: '/v1/overrides' })).json<{ overrides: unknown[] }>().overrides;
    assert.deepEqual(overrides, [], 'the route is back on the mesh\'s weights');
    assert.ok(!existsSync(join(out, 'payments-v2-canary.json')), 'the payments canary did not start');
  });
});
