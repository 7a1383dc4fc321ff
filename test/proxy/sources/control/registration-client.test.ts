import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { RegistrationClient } from '../../../../proxy/sources/control/registration-client.js';
import { holdsFor, waitFor } from '../../../helpers/wait.js';
import { startStandInControl, type StandInControl } from './stand-in-control.js';

describe('registering the app beside a sidecar', () => {
  let control: StandInControl;
  let appHealthy = true;
  let appUrl = '';
  const app = createServer((req, res) => res.writeHead(req.url === '/healthz' && appHealthy ? 200 : 503).end());
  const clients: RegistrationClient[] = [];
  const renewals = () => control.calls.filter((c) => c.endsWith('/renew')).length;
  const registers = () => control.calls.filter((c) => c === 'POST /v1/registrations').length;
  const client = (options: { healthPath?: string } = {}) => {
    const c = new RegistrationClient({ urls: [control.url], token: 't', service: 'payments', instances: [{ id: 'pay-9', address: appUrl }], region: 'eu-west', labels: { version: 'v2' }, ttlMs: 300, ...options });
    clients.push(c);
    c.start();
    return c;
  };

  before(async () => {
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    appUrl = `127.0.0.1:${(app.address() as AddressInfo).port}`;
    control = await startStandInControl({ token: 't' });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    appHealthy = true;
    control.calls.length = 0;
    control.registrations.clear();
  });
  after(async () => {
    await control.close();
    app.close();
  });

  it('registers each instance under a lease, renews it at a third of the ttl, and removes it on close', async () => {
    const c = client();
    await waitFor(() => control.registrations.has('payments/pay-9'), 'the instance is registered');
    assert.deepEqual(control.registrations.get('payments/pay-9'), { service: 'payments', id: 'pay-9', address: appUrl, region: 'eu-west', labels: { version: 'v2' }, ttl: '300ms' });
    await waitFor(() => renewals() >= 3, 'the lease is renewed');
    assert.equal(registers(), 1, 'renewals do not register again');
    await c.close();
    assert.equal(control.registrations.has('payments/pay-9'), false, 'close removed the registration');
  });

  it('registers again when a renewal finds the registration gone', async () => {
    client();
    await waitFor(() => renewals() >= 1, 'a renewal went through');
    control.registrations.clear(); // the lease ended, or the control plane restarted
    await waitFor(() => registers() === 2 && control.registrations.has('payments/pay-9'), 'the instance registered again');
  });

  it('stops renewing while the app fails its health check, and registers again once it passes', async () => {
    client({ healthPath: '/healthz' });
    await waitFor(() => renewals() >= 1, 'the healthy app is renewed');
    appHealthy = false;
    const atFailure = renewals();
    // Ten renewal periods (100 ms each): at most the one renewal already under way goes out.
    await holdsFor(() => renewals() <= atFailure + 1, 1_000, 'no renewal while the app fails its check');
    control.registrations.clear(); // its lease ends meanwhile
    appHealthy = true;
    await waitFor(() => control.registrations.has('payments/pay-9'), 'the passing app registered again');
  });
});
