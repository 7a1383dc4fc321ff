import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { MAX_LINE_BYTES } from '../../../control/push/proxy-channel.js';
import { waitFor } from '../../helpers/wait.js';
import { MESH, openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

const TOKEN = 'channel-token';

interface Channel {
  readonly status: number;
  readonly contentType: string;
  /** Every line the control plane answered, parsed. */
  readonly answers: Array<Record<string, unknown>>;
  readonly body: () => string;
  send(text: string): void;
  end(): void;
  readonly ended: () => boolean;
  destroy(): void;
}

/** Opens POST /v1/proxies/:id/channel as a proxy does, and resolves once the response headers came (before any line is sent). */
function openChannel(url: string, id: string, headers: Record<string, string> = {}): Promise<Channel> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request({ host: u.hostname, port: u.port, method: 'POST', path: `/v1/proxies/${id}/channel`, agent: false, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      let text = '';
      let ended = false;
      const answers: Array<Record<string, unknown>> = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const lines = text.split('\n');
        answers.splice(0, answers.length, ...lines.slice(0, -1).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>));
      });
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        answers,
        body: () => text,
        send: (t) => void req.write(t),
        end: () => void req.end(),
        ended: () => ended,
        destroy: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

interface ProxyView {
  id: string;
  applied: number;
  lastReportAt?: string;
  faults: Record<string, { matched: number; hit: number }>;
  lastChannelError?: { reason: string; at: string };
}

describe("a proxy's channel for acks and reports", () => {
  let control: TestControl;
  const streams: StreamClient[] = [];
  const channels: Channel[] = [];
  const proxyView = async (id: string) => (await control.call('GET', '/v1/status')).json<{ proxies: ProxyView[] }>().proxies.find((p) => p.id === id);
  const connect = async (id: string) => {
    const stream = await openStream(control.url, { id, service: 'web' }, TOKEN);
    streams.push(stream);
    const first = await stream.next((e) => e.event === 'snapshot');
    return { stream, version: first.data.version as number };
  };
  const channel = async (id: string, headers?: Record<string, string>) => {
    const c = await openChannel(control.url, id, headers);
    channels.push(c);
    return c;
  };

  before(async () => {
    control = await startTestControl({ token: TOKEN });
    assert.equal((await control.call('PUT', '/v1/mesh', { text: MESH })).status, 200);
  });
  after(async () => {
    for (const c of channels) c.destroy();
    for (const s of streams) s.close();
    await control.stop();
  });

  it('answers at once, records each ack and report line in /v1/status, and says how many lines it has recorded', async () => {
    const { version } = await connect('web-1');
    const c = await channel('web-1');
    assert.equal(c.status, 200, c.body());
    assert.match(c.contentType, /^application\/x-ndjson/);
    c.send('\n'); // a blank line is skipped
    c.send(`${JSON.stringify({ type: 'ack', version, applied: true })}\n`);
    await waitFor(() => c.answers.some((a) => a.type === 'recorded' && a.lines === 1), 'the ack is said to be recorded');
    assert.equal((await proxyView('web-1'))?.applied, version);

    // Two lines in one chunk, the second split across chunks.
    const report = JSON.stringify({ type: 'report', faults: { f1: { matched: 4, hit: 2 } }, instances: [{ service: 'payments', id: 'p1', state: 'ejected', ejectedUntil: '2030-01-01T00:00:00.000Z' }] });
    c.send(`${JSON.stringify({ type: 'ack', version, applied: false, reason: 'no room' })}\n${report.slice(0, 20)}`);
    c.send(`${report.slice(20)}\n`);
    await waitFor(() => c.answers.some((a) => a.type === 'recorded' && a.lines === 3), 'the rejection and the report are recorded');
    const seen = (await proxyView('web-1'))!;
    assert.deepEqual(seen.faults, { f1: { matched: 4, hit: 2 } });
    assert.ok(seen.lastReportAt, 'the report time is shown');
    const services = (await control.call('GET', '/v1/status')).json<{ services: Array<{ name: string; instances: Array<{ id: string; health: Record<string, string> }> }> }>().services;
    assert.equal(services.find((s) => s.name === 'payments')?.instances.find((i) => i.id === 'p1')?.health['web-1'], 'ejected');
    c.end();
    await waitFor(() => c.ended(), 'the control plane ends the answer when the proxy ends its request');
    assert.equal(seen.lastChannelError, undefined);
  });

  for (const [what, line, reason] of [
    ['a line that is not JSON', '{"type":"ack",', /^NOT_JSON: line 2 is not JSON/],
    ['an ack the POST endpoint would refuse', JSON.stringify({ type: 'ack', version: -1, applied: true }), /^INVALID_LINE: line 2: acknowledgement refused: version: /],
    ['a report with a field the POST endpoint does not take', JSON.stringify({ type: 'report', faults: {}, instances: [], extra: 1 }), /^INVALID_LINE: line 2: report refused: /],
    ['a line of another type', JSON.stringify({ type: 'hello' }), /^INVALID_LINE: line 2: type must be "ack" or "report" \(got "hello"\)/],
  ] as const) {
    it(`closes the channel at ${what}, with the reason as its last line and on /v1/status, and reads nothing after it`, async () => {
      const id = `bad-${channels.length}`;
      const { version } = await connect(id);
      const c = await channel(id);
      c.send(`${JSON.stringify({ type: 'ack', version, applied: true })}\n${line}\n${JSON.stringify({ type: 'ack', version: version + 100, applied: true })}\n`);
      await waitFor(() => c.ended(), 'the control plane closed the channel');
      const last = c.answers.at(-1)!;
      assert.equal(last.type, 'error', c.body());
      assert.match(`${String(last.code)}: ${String(last.message)}`, reason);
      const seen = (await proxyView(id))!;
      assert.match(seen.lastChannelError?.reason ?? '', reason);
      assert.equal(seen.applied, version, 'the line before the bad one was recorded, the one after was not read');
    });
  }

  it('closes the channel at a line over 1 MiB, even before its end arrives', async () => {
    await connect('long-1');
    const c = await channel('long-1');
    c.send(`{"type":"report","faults":{},"instances":[],"pad":"${'x'.repeat(MAX_LINE_BYTES)}`);
    await waitFor(() => c.ended(), 'the control plane closed the channel');
    assert.equal(c.answers.at(-1)?.code, 'LINE_TOO_LONG', c.body().slice(0, 200));
    assert.match((await proxyView('long-1'))?.lastChannelError?.reason ?? '', /LINE_TOO_LONG: line 1 is over 1048576 bytes/);
  });

  it('checks the token, the Host, the content type and the open stream once, when the channel opens', async () => {
    await connect('guarded-1');
    const anonymous = await channel('guarded-1', { authorization: '' });
    assert.equal(anonymous.status, 401);
    const wrongToken = await channel('guarded-1', { authorization: 'Bearer nope' });
    assert.equal(wrongToken.status, 401);
    const foreignHost = await channel('guarded-1', { host: 'evil.example' });
    assert.equal(foreignHost.status, 403);
    const json = await channel('guarded-1', { 'content-type': 'text/plain' });
    assert.equal(json.status, 415);
    const noStream = await channel('nobody');
    assert.equal(noStream.status, 404);
    await waitFor(() => noStream.answers.length > 0 || noStream.body().length > 0, 'the refusal has a body');
    assert.equal((JSON.parse(noStream.body()) as { code: string }).code, 'PROXY_NOT_FOUND');
    const ok = await channel('guarded-1');
    assert.equal(ok.status, 200, 'the same request with every guard met opens');
  });

  it("ends the channel when the proxy's stream closes", async () => {
    const { stream } = await connect('short-1');
    const c = await channel('short-1');
    assert.equal(c.status, 200);
    stream.close();
    await waitFor(() => c.ended(), 'the channel ended with the stream');
  });
});
