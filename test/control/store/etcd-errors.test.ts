import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GRPCUnavailableError } from 'etcd3';
import { storeErrorOf } from '../../../control/store/etcd/etcd-errors.js';

describe("the etcd store's error text", () => {
  for (const [what, grpc, expected] of [
    ['no connection and no last error', '14 UNAVAILABLE: No connection established. Last error: null. Resolution note: ', 'etcd at 127.0.0.1:2379: No connection established.'],
    ['no connection after a refused one', '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2379. Resolution note: ', 'etcd at 127.0.0.1:2379: No connection established. last error: connect ECONNREFUSED 127.0.0.1:2379.'],
    ['a deadline', '4 DEADLINE_EXCEEDED: Deadline exceeded after 3.001s', 'etcd at 127.0.0.1:2379: Deadline exceeded after 3.001s'],
  ] as const) {
    it(`says ${what} in etcd's words, without gRPC's empty parts`, () => {
      const err = storeErrorOf(new GRPCUnavailableError(grpc), '127.0.0.1:2379');
      assert.equal(err.code, 'UNAVAILABLE');
      assert.equal(err.message, expected);
    });
  }
});
