import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { ApiFixture, roundTrip, type Api } from './api-fixture.js';

describe('GET /metrics of faultmesh toxiproxy', () => {
  const f = new ApiFixture();
  let api: Api;
  let listen: string;
  before(async () => {
    ({ api } = await f.start());
    const upstream = (await f.echo()).address;
    listen = (await api.post('/proxies', { name: 'shop_db', upstream })).json<{ listen: string }>().listen;
    await api.post('/proxies', { name: 'idle', upstream, enabled: false });
  });
  after(() => f.close());

  const scrape = async () => (await api.get('/metrics')).text();
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts bytes per proxy and stream, and connections accepted and open', async () => {
    const c = await f.dial(listen);
    await roundTrip(c, 'hello');
    await roundTrip(c, 'world!');
    const text = await scrape();
    assert.equal(value(text, 'faultmesh_toxiproxy_bytes_total{proxy="shop_db",stream="upstream"}'), 11);
    assert.equal(value(text, 'faultmesh_toxiproxy_bytes_total{proxy="shop_db",stream="downstream"}'), 11);
    assert.equal(value(text, 'faultmesh_toxiproxy_connections_total{proxy="shop_db"}'), 1);
    assert.equal(value(text, 'faultmesh_toxiproxy_connections_open{proxy="shop_db"}'), 1);
    assert.equal(value(text, 'faultmesh_toxiproxy_proxies{state="enabled"}'), 1);
    assert.equal(value(text, 'faultmesh_toxiproxy_proxies{state="disabled"}'), 1);
    assert.match(text, /^# TYPE faultmesh_toxiproxy_bytes_total counter$/m);
    c.socket.destroy();
    await waitFor(async () => value(await scrape(), 'faultmesh_toxiproxy_connections_open{proxy="shop_db"}') === 0, 'the closed connection is no longer open');
  });

  it('counts the connections each toxic acted on, and the toxics in force by type', async () => {
    await api.post('/proxies/shop_db/toxics', { name: 'slow', type: 'latency', attributes: { latency: 1 } });
    await api.post('/proxies/shop_db/toxics', { name: 'never', type: 'latency', toxicity: 0 });
    for (let i = 0; i < 3; i++) {
      const c = await f.dial(listen);
      await roundTrip(c, 'x');
      c.socket.destroy();
    }
    const text = await scrape();
    assert.equal(value(text, 'faultmesh_toxiproxy_toxic_connections_total{proxy="shop_db",toxic="slow"}'), 3);
    assert.equal(value(text, 'faultmesh_toxiproxy_toxic_connections_total{proxy="shop_db",toxic="never"}'), 0);
    assert.equal(value(text, 'faultmesh_toxiproxy_toxics{proxy="shop_db",type="latency"}'), 2);
  });

  it('keeps counting across a disable and enable, and drops a deleted proxy\'s series', async () => {
    await api.patch('/proxies/shop_db', { enabled: false });
    await api.patch('/proxies/shop_db', { enabled: true });
    assert.equal(value(await scrape(), 'faultmesh_toxiproxy_connections_total{proxy="shop_db"}'), 4);
    await api.del('/proxies/shop_db');
    const text = await scrape();
    assert.doesNotMatch(text, /proxy="shop_db"/);
    assert.match(text, /^faultmesh_process_cpu_seconds_total /m, 'the process metrics are there too');
  });
});
