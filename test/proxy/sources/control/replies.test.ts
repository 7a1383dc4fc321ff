import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startProxy, type RunningProxy } from '../../../../proxy/proxy-app.js';
import { send } from '../../../helpers/http-client.js';
import { waitFor } from '../../../helpers/wait.js';
import { startStandInControl, type ChannelMode, type StandInControl } from './stand-in-control.js';

const TOKEN = 'replies-secret';
const MESH = { text: 'services:\n  payments:\n    instances:\n      - { id: pay-1, address: "127.0.0.1:9" }\n', file: 'mesh.yaml' };

describe("a proxy's acks and reports", () => {
  let control: StandInControl | undefined;
  let proxy: RunningProxy | undefined;

  const start = async (channel: ChannelMode) => {
    control = await startStandInControl({ token: TOKEN, channel, initial: { version: 3, mesh: MESH } });
    proxy = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      accessLog: { kind: 'off' },
      control: { urls: [control.url], token: TOKEN, id: 'replier', reportEveryMs: 50 },
    });
    return control;
  };
  const ackPosts = () => control!.calls.filter((c) => c === 'POST /v1/proxies/replier/ack').length;
  const channelOpens = () => control!.calls.filter((c) => c === 'POST /v1/proxies/replier/channel').length;
  const lastError = async () => (await send(proxy!.adminUrl, { path: '/healthz' })).json<{ control: { lastError: string | null } }>().control.lastError;

  afterEach(async () => {
    await proxy?.close(1000);
    await control?.close();
    proxy = control = undefined;
  });

  it('go as lines on one channel per stream, opened with the stream and opened again with the next one', async () => {
    const c = await start('accept');
    await waitFor(() => c.acks.length === 1 && c.reports.length >= 2, 'the first ack and two reports arrived');
    c.push({ version: 4, mesh: MESH });
    await waitFor(() => c.acks.some((a) => a.version === 4), 'version 4 is acknowledged');
    assert.deepEqual(c.acks.slice(0, 2), [
      { version: 3, applied: true },
      { version: 4, applied: true },
    ]);
    assert.ok(c.via.every((v) => v === 'channel'), `every ack and report came on the channel: ${c.via.join(', ')}`);
    assert.equal(channelOpens(), 1, 'one channel for the stream');
    assert.equal(ackPosts(), 0);

    c.dropStreams();
    await waitFor(() => c.connects.length === 2 && channelOpens() === 2 && c.acks.length === 3, 'the proxy reconnected, with a new channel, and acked again');
    await waitFor(() => c.openChannels() === 1, "the old stream's channel ended with it");
    assert.ok(c.via.every((v) => v === 'channel'));
    assert.equal(await lastError(), null);
  });

  it('go one POST each when the control plane refuses the channel (one without channels answers 404)', async () => {
    const c = await start('refuse');
    await waitFor(() => c.acks.length === 1 && c.reports.length >= 1, 'the first ack and a report arrived');
    c.push({ version: 4, mesh: MESH });
    await waitFor(() => c.acks.some((a) => a.version === 4), 'version 4 is acknowledged');
    assert.deepEqual(c.acks.slice(0, 2), [
      { version: 3, applied: true },
      { version: 4, applied: true },
    ]);
    assert.ok(c.via.every((v) => v === 'post'), `every ack and report was a POST: ${c.via.join(', ')}`);
    assert.equal(channelOpens(), 1, 'the channel is tried once per stream, not once per ack');
    assert.equal(ackPosts(), 2);
  });

  it('go by POST for the rest of the stream once the control plane closes the channel, and say why on /healthz', async () => {
    const c = await start('accept');
    await waitFor(() => c.acks.length === 1 && c.openChannels() === 1, 'the first ack came on the channel');
    c.refuseChannels('line 9: report refused: instances.0.state: Invalid option');
    await waitFor(async () => /closed the channel: INVALID_LINE: line 9: report refused/.test((await lastError()) ?? ''), "the control plane's reason shows on /healthz");
    await waitFor(() => c.via.filter((v) => v === 'post').length >= 2, 'reports follow by POST');
    c.push({ version: 4, mesh: MESH });
    await waitFor(() => c.acks.at(-1)?.version === 4, 'version 4 is acknowledged');
    assert.equal(ackPosts(), 1, 'version 4 went by POST, and version 3, which the channel had recorded, was not sent again');
    assert.equal(c.acks.filter((a) => a.version === 3).length, 1);
    assert.equal(channelOpens(), 1, 'no new channel on the same stream');
  });

  it('post the last ack again when the channel closed before saying it recorded it', async () => {
    const c = await start('unrecorded');
    await waitFor(() => c.openChannels() === 1 && c.connects.length === 1, 'the channel is open');
    await waitFor(() => c.channelLines.some((l) => l.startsWith('{"type":"ack"')), 'the first ack went on the channel (and was lost there)');
    assert.equal(c.acks.length, 0);
    c.refuseChannels();
    await waitFor(() => ackPosts() === 1, 'the last ack is posted again');
    assert.deepEqual(c.acks, [{ version: 3, applied: true }]);
  });
});
