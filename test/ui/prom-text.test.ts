import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { edgeKey, parseEdges } from '../../control/ui/prom-text.js';

const TEXT = `# HELP faultmesh_requests_total Requests.
# TYPE faultmesh_requests_total counter
faultmesh_requests_total{source="frontend",destination="payments",instance="p1",code="200"} 90
faultmesh_requests_total{source="frontend",destination="payments",instance="p2",code="503"} 10
faultmesh_requests_total{code="404",destination="catalog",source="frontend",instance="none"} 5
faultmesh_requests_total{source="odd \\"quoted\\"",destination="catalog",instance="c1",code="502"} 1
faultmesh_request_duration_seconds_bucket{le="0.01",source="frontend",destination="payments",code="200"} 40
faultmesh_request_duration_seconds_bucket{le="0.1",source="frontend",destination="payments",code="200"} 90
faultmesh_request_duration_seconds_bucket{le="+Inf",source="frontend",destination="payments",code="200"} 90
faultmesh_request_duration_seconds_bucket{le="0.01",source="frontend",destination="payments",code="503"} 10
faultmesh_request_duration_seconds_bucket{le="0.1",source="frontend",destination="payments",code="503"} 10
faultmesh_request_duration_seconds_bucket{le="+Inf",source="frontend",destination="payments",code="503"} 10
faultmesh_requests_total{source="frontend",destination="payments"} not-a-number
faultmesh_requests_in_flight 3
`;

describe('reading edges from a proxy\u2019s /metrics', () => {
  it('sums every instance and code of one caller and destination, and counts 5xx as errors', () => {
    const edges = parseEdges(TEXT);
    const payments = edges.get(edgeKey('frontend', 'payments'))!;
    assert.equal(payments.total, 100);
    assert.equal(payments.errors, 10);
    assert.equal(edges.get(edgeKey('frontend', 'catalog'))!.errors, 0, 'a 404 is the caller\u2019s mistake, not an error of the callee');
    assert.equal(edges.get(edgeKey('odd "quoted"', 'catalog'))!.errors, 1, 'escaped label values are read whole');
  });

  it('adds the latency buckets of every code, cumulative by bound', () => {
    const b = parseEdges(TEXT).get(edgeKey('frontend', 'payments'))!.buckets;
    assert.deepEqual([...b].sort((x, y) => x[0] - y[0]), [[0.01, 50], [0.1, 100], [Infinity, 100]]);
  });

  it('skips lines of other families and values that are not numbers', () => {
    assert.equal(parseEdges('faultmesh_requests_in_flight 4\nfaultmesh_requests_total{source="a",destination="b",code="200"} NaN\n').size, 0);
  });

  it('reads a family by its whole name, and skips a count of +Inf and a bucket without a bound', () => {
    const text = [
      'faultmesh_requests_total_created{source="a",destination="b",code="200"} 1700000000',
      'faultmesh_inbound_requests_total{source="a",destination="b",code="500"} 3',
      'faultmesh_requests_total{source="a",destination="b",code="200"} +Inf',
      'faultmesh_request_duration_seconds_bucket{source="a",destination="b",code="200"} 7',
      'faultmesh_requests_total{source="a",destination="b",code="500"} 2 1700000000000',
    ].join('\n');
    const edge = parseEdges(text).get(edgeKey('a', 'b'))!;
    assert.deepEqual({ total: edge.total, errors: edge.errors, buckets: [...edge.buckets] }, { total: 2, errors: 2, buckets: [] });
  });
});
