import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseText, renewedLine } from '../../cli/commands/faults-renew.js';
import type { AdminReply } from '../../proxy/admin/admin-client.js';

const reply = (body: Record<string, unknown>) => ({ admin: 'http://127.0.0.1:15000', status: 200, body }) as unknown as AdminReply;
const at = (ms: number) => new Date(ms).toISOString();

describe('what faults renew says', () => {
  it('writes a lease as a person reads it, to the second', () => {
    assert.deepEqual([298_000, 120_000, 40_400, 3_900_000, 3_600_000, 0].map(leaseText), ['4m58s', '2m', '40s', '1h5m', '1h', '0s']);
  });

  it('says a renewal cut the lease, from the expiries the server gave, whatever the client clock says', () => {
    const serverNow = 1_000_000;
    const line = renewedLine('pay-503', 120_000, reply({ expiresAt: at(serverNow + 298_000) }), reply({ expiresAt: at(serverNow + 120_000) }), 5);
    assert.equal(line, `renewed pay-503: lease now ends in 2m, was 4m58s (renew sets the lease to --ttl from now, shorter too), expires ${at(serverNow + 120_000)}`);
  });

  it('says nothing of a cut when the lease grew, and leaves out what it had when the rule could not be read first', () => {
    assert.match(renewedLine('x', 600_000, reply({ expiresAt: at(60_000) }), reply({ expiresAt: at(600_000) }), 0), /^renewed x: lease now ends in 10m, was 1m, expires /);
    assert.match(renewedLine('x', 600_000, undefined, reply({ expiresAt: at(600_000) }), 0), /^renewed x: lease now ends in 10m, expires /);
  });

  it('reads a capped lease from the expiry, and keeps the warning', () => {
    const line = renewedLine('x', 3_600_000, reply({ expiresAt: at(100_000) }), reply({ expiresAt: at(600_000), warning: 'ttl capped to 10m (--max-fault-ttl)' }), 0);
    assert.match(line, /^renewed x: lease now ends in 10m, was 1m40s, expires .* \(warning: ttl capped to 10m \(--max-fault-ttl\)\)$/);
  });
});
