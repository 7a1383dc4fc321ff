import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawExchange } from '../../helpers/raw-socket.js';
import { startInbound, twoCas, type InboundFixture } from '../transport/inbound-fixture.js';

describe("an inbound sidecar and the caller's trace", () => {
  let cas: Awaited<ReturnType<typeof twoCas>>;
  let f: InboundFixture;

  before(async () => {
    cas = await twoCas();
    f = await startInbound(cas.ca, { mode: 'permissive' });
  });
  after(async () => {
    await f.close();
    cas.remove();
  });

  it("passes the caller's context to the app unchanged: it records no span, so the app's spans are the caller's span's children", async () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const answer = await rawExchange(f.port, `GET /api/charge HTTP/1.1\r\nhost: payments\r\ntraceparent: ${parent}\r\nconnection: close\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.equal(f.seen.at(-1)!.headers.traceparent, parent);
  });

  it('starts a trace for a caller that sent none', async () => {
    await rawExchange(f.port, 'GET /api/charge HTTP/1.1\r\nhost: payments\r\nconnection: close\r\n\r\n');
    assert.match(String(f.seen.at(-1)!.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
