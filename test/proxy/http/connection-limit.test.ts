import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionBudget, DEFAULT_MAX_CONNECTIONS, maxConnectionsFor } from '../../../proxy/http/connection-limit.js';
import { runCli } from '../../helpers/cli.js';

describe('the data plane connection cap', () => {
  it('leaves descriptors for the admin API, the upstream side and the process itself', () => {
    assert.equal(connectionBudget(1024), 416);
    assert.equal(connectionBudget(400), 104);
    assert.equal(connectionBudget(100), 1);
    assert.equal(connectionBudget(undefined), undefined);
  });

  it('defaults to 4096 connections, or fewer when the descriptor limit is lower', () => {
    assert.equal(maxConnectionsFor(undefined, 1_000_000), DEFAULT_MAX_CONNECTIONS);
    assert.equal(maxConnectionsFor(undefined, 416), 416);
    assert.equal(maxConnectionsFor(undefined, undefined), DEFAULT_MAX_CONNECTIONS);
  });

  const refused: Array<[number, number | undefined, RegExp]> = [
    [0, 416, /not a whole number/],
    [2.5, 416, /not a whole number/],
    [Number.NaN, 416, /not a whole number/],
    [417, 416, /does not fit .* at most 416; raise it with ulimit -n/],
  ];
  for (const [asked, budget, message] of refused) {
    it(`refuses --max-connections ${asked} with a budget of ${budget}`, () => {
      assert.throws(() => maxConnectionsFor(asked, budget), message);
    });
  }

  it('takes a cap within the budget as given', () => {
    assert.equal(maxConnectionsFor(416, 416), 416);
    assert.equal(maxConnectionsFor(50_000, undefined), 50_000);
  });
});

describe('proxy limit flags', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a headers timeout longer than the request timeout', ['--headers-timeout', '20s', '--request-timeout', '10s'], /--headers-timeout \(20s\) must not be longer than --request-timeout \(10s\)/],
    ['a zero headers timeout', ['--headers-timeout', '0s'], /--headers-timeout: must be more than 0s/],
    ['a connection cap that is not a number, echoing what was typed', ['--max-connections', 'many'], /--max-connections: "many" is not a whole number/],
    ['a connection cap of 0', ['--max-connections', '0'], /--max-connections: "0" is not a whole number of connections \(1 or more\)/],
    ['a zero call timeout, which would answer every call 504', ['--timeout', '0s'], /--timeout: must be more than 0s: every call would time out at once/],
    ['a zero fault ttl cap', ['--max-fault-ttl', '0ms'], /--max-fault-ttl: must be more than 0s/],
    ['a zero hang cap', ['--max-hang', '0s'], /--max-hang: must be more than 0s/],
    ['a zero idle timeout', ['--idle-timeout', '0s'], /--idle-timeout: must be more than 0s/],
  ];
  for (const [what, flags, message] of cases) {
    it(`exits 2 naming the flag for ${what}`, async () => {
      const run = await runCli(['proxy', '--mesh', 'no-such-mesh.yaml', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', ...flags]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
