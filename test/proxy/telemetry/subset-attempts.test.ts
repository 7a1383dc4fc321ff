import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';

const ATTEMPTS = 'faultmesh_subset_attempts_total';
const DURATION = 'faultmesh_subset_attempt_duration_seconds';

/** One series' value, its labels matched exactly as given (others ignored); values may hold commas (`app=catalog,version=v2`). */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const have = Object.fromEntries([...line.slice(0, line.lastIndexOf('}')).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('per-subset attempt metrics', () => {
  let m: MeshFixture;
  let statuses: number[];
  let metrics: string;
  before(async () => {
    m = await startMeshFixture(
      [
        { service: 'catalog', id: 'cat-v1', labels: { version: 'v1', app: 'catalog' } },
        { service: 'catalog', id: 'cat-v2', labels: { version: 'v2', app: 'catalog' } },
        { service: 'search', id: 'search-1' },
      ],
      {
        extra: {
          // Retries on 5xx, with budget to spare and no ejection, so a failed canary attempt is retried, often onto stable.
          catalog: [
            'policy:',
            '  retries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 2ms }, budget: { percent: 100 } }',
            '  outlierDetection: { enabled: false }',
            'routes:',
            '  - match: { path: /health }',
            '    deny: 404',
            '  - to: [{ labels: { version: v1 }, weight: 50 }, { labels: { version: v2, app: catalog }, weight: 50 }]',
          ].join('\n'),
          search: 'routes:\n  - to: [{ labels: {} }]',
        },
      },
    );
    m.upstreams.get('cat-v2')!.behave({ status: 503 });
    statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await send(m.proxy.proxyUrl, { headers: { host: 'catalog' } })).status);
    for (let i = 0; i < 5; i++) await send(m.proxy.proxyUrl, { headers: { host: 'search' } });
    metrics = (await send(m.proxy.adminUrl, { path: '/metrics' })).text();
  });
  after(() => m.stop());

  it('counts every attempt by subset and outcome, so a retry onto stable does not hide the canary\'s failure', () => {
    const v1 = m.upstreams.get('cat-v1')!.received();
    const v2 = m.upstreams.get('cat-v2')!.received();
    assert.ok(v2 > 5 && v1 > 5, `both subsets were drawn (v1 ${v1}, v2 ${v2})`);
    assert.equal(sample(metrics, ATTEMPTS, { destination: 'catalog', route: '1', subset: 'version=v1', outcome: 'success' }), v1);
    // Labels sorted by key: the route wrote version before app.
    assert.equal(sample(metrics, ATTEMPTS, { destination: 'catalog', route: '1', subset: 'app=catalog,version=v2', outcome: 'failure' }), v2);
    assert.equal(sample(metrics, ATTEMPTS, { destination: 'catalog', route: '1', subset: 'app=catalog,version=v2', outcome: 'success' }), 0);
    const failedCalls = statuses.filter((s) => s === 503).length;
    assert.ok(v2 > failedCalls, `more canary attempts failed (${v2}) than calls did (${failedCalls}): retries recovered some on stable`);
  });

  it('records the time to response headers of each attempt in fine buckets', () => {
    const v2 = m.upstreams.get('cat-v2')!.received();
    assert.equal(sample(metrics, `${DURATION}_count`, { destination: 'catalog', route: '1', subset: 'app=catalog,version=v2' }), v2);
    assert.equal(sample(metrics, `${DURATION}_count`, { destination: 'catalog', route: '1', subset: 'version=v1' }), m.upstreams.get('cat-v1')!.received());
    for (const le of ['0.001', '0.0075', '0.04', '0.75', '10', '+Inf']) {
      assert.notEqual(sample(metrics, `${DURATION}_bucket`, { subset: 'version=v1', le }), undefined, `a bucket at le=${le}`);
    }
  });

  it('records nothing for a route whose only subset has no labels, nor for denied calls', () => {
    assert.doesNotMatch(metrics, /faultmesh_subset_attempts_total\{[^}]*destination="search"/);
    assert.doesNotMatch(metrics, /faultmesh_subset_attempts_total\{[^}]*route="0"/);
  });
});
