import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Shop } from '../../demo/shop/start-shop.js';
import { runTypedCommand } from '../../demo/shop/typed-commands.js';

/** A shop that records what it was asked to do, with no process behind it. */
function standInShop(fail?: string) {
  const asked: string[] = [];
  const shop = {
    control: 'http://127.0.0.1:15100',
    admins: { ingress: 'a', frontend: 'b', catalog: 'c', checkout: 'd', payments: 'e' },
    registerTtl: '5s',
    instances: [{ service: 'catalog', id: 'catalog-us-1', address: '127.0.0.1:1', region: 'us-east', zone: 'us-east-1a' }],
    stopInstance: async (id: string) => {
      asked.push(`stop ${id}`);
      if (fail) throw new Error(fail);
      return 4200;
    },
    startInstance: async (id: string) => {
      asked.push(`start ${id}`);
      return 1500;
    },
  } as unknown as Shop;
  return { shop, asked };
}

describe('commands typed while the demo shop runs', () => {
  it('stops an instance and says when it left every proxy\'s table, within its lease', async () => {
    const { shop, asked } = standInShop();
    const printed: string[] = [];
    await runTypedCommand(shop, '  stop catalog-us-1 ', (t) => printed.push(t));
    assert.deepEqual(asked, ['stop catalog-us-1']);
    assert.match(printed[0]!, /stopping catalog-us-1: .*not renewed and ends within its 5s lease/);
    assert.match(printed[1]!, /catalog-us-1 left all 5 proxies' tables 4\.2 s after it stopped \(`faultmesh status --control http:\/\/127\.0\.0\.1:15100` no longer lists it\)/);
  });

  it('starts it again and says when every proxy has it back', async () => {
    const { shop, asked } = standInShop();
    const printed: string[] = [];
    await runTypedCommand(shop, 'start catalog-us-1', (t) => printed.push(t));
    assert.deepEqual(asked, ['start catalog-us-1']);
    assert.match(printed.at(-1)!, /catalog-us-1 is back in all 5 proxies' tables after 1\.5 s/);
  });

  for (const [what, line, expected] of [
    ['an unknown instance', 'stop catalog-eu-9', /no instance "catalog-eu-9" type `stop ID`.*IDs: catalog-us-1/],
    ['an unknown command', 'kill catalog-us-1', /"kill catalog-us-1"\? type `stop ID`/],
  ] as const) {
    it(`answers ${what} with what can be typed, and touches nothing`, async () => {
      const { shop, asked } = standInShop();
      const printed: string[] = [];
      await runTypedCommand(shop, line, (t) => printed.push(t));
      assert.deepEqual(asked, []);
      assert.match(printed.join('\n'), expected);
    });
  }

  it('prints a failure instead of throwing, so the shop keeps running', async () => {
    const { shop } = standInShop('not every proxy\'s table is without catalog-us-1 within 60s (not yet: ingress)');
    const printed: string[] = [];
    await runTypedCommand(shop, 'stop catalog-us-1', (t) => printed.push(t));
    assert.match(printed.at(-1)!, /stop catalog-us-1: not every proxy's table is without catalog-us-1 within 60s \(not yet: ingress\)/);
  });

  it('ignores an empty line', async () => {
    const { shop, asked } = standInShop();
    const printed: string[] = [];
    await runTypedCommand(shop, '   ', (t) => printed.push(t));
    assert.deepEqual([asked, printed], [[], []]);
  });
});
