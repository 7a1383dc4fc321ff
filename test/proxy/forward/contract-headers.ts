import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { parseMesh } from '../../../proxy/config/load-mesh.js';
import type { ForwarderKind } from '../../../proxy/forward/forwarder.js';
import { rawExchange } from '../../helpers/raw-socket.js';
import { CASE, OTHER, startForwardFixture, type ForwardFixture } from './fixture.js';

/** The names of the raw headers in `raw` ([name, value, ...]), as written. */
const namesOf = (raw: readonly string[]) => raw.filter((_, i) => i % 2 === 0);

/**
 * How each forwarder writes request header names: undici sends the caller's
 * list as is; http-proxy copies node:http's parsed (lower-cased) headers.
 * It is what tells, from the upstream, which forwarder a call went through.
 */
const REQUEST_NAME_AS_SENT: Record<ForwarderKind, (name: string) => string> = { undici: (n) => n, hpm: (n) => n.toLowerCase() };

/** Headers: what ends at this hop each way, and what is kept as it was. */
export function headersContract(kind: ForwarderKind): void {
  describe(`the ${kind} forwarder keeps end-to-end headers and drops hop-by-hop ones`, () => {
    let f: ForwardFixture;
    before(async () => (f = await startForwardFixture(kind)));
    after(() => f.stop());
    beforeEach(() => f.reset());

    it('forwards no hop-by-hop request header, and every end-to-end one', CASE, async () => {
      // Raw, because Node's client refuses a Trailer header on a request without a chunked body.
      const answer = await rawExchange(
        f.proxyPort,
        [
          'GET /h HTTP/1.1',
          'Host: plain',
          'Connection: X-Listed, close',
          'X-Listed: hop only',
          'Keep-Alive: timeout=5, max=7',
          'TE: trailers',
          'Trailer: X-Checksum',
          'Upgrade: h2c',
          'Proxy-Authorization: Basic Zm9vOmJhcg==',
          'X-End-To-End: kept',
          'Accept: text/plain',
          'Cookie: session=1',
          '',
          '',
        ].join('\r\n'),
      );
      assert.match(answer, /^HTTP\/1\.1 200 /);
      const h = f.plain.last()!.req.headers;
      for (const name of ['x-listed', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization']) assert.equal(h[name], undefined, `${name} was forwarded`);
      // The proxy's own connection to the upstream may say keep-alive; never what the client listed.
      assert.doesNotMatch(h.connection ?? '', /x-listed|close/i);
      assert.equal(h['x-end-to-end'], 'kept');
      assert.equal(h.accept, 'text/plain');
      assert.equal(h.cookie, 'session=1');
    });

    it('returns no hop-by-hop response header, keeps each Set-Cookie apart, and the upstream header case', CASE, async () => {
      f.plain.handler = (seen) => {
        seen.res.writeHead(200, [
          ['X-Mixed-Case', 'Kept'],
          ['Set-Cookie', 'a=1; Path=/'],
          ['Set-Cookie', 'b=2; HttpOnly'],
          ['Connection', 'X-Resp-Hop'],
          ['X-Resp-Hop', 'hop only'],
          ['Keep-Alive', 'timeout=5, max=7'],
          ['TE', 'trailers'],
          ['Trailer', 'X-Trail'],
          ['Upgrade', 'h2c'],
          ['Proxy-Authenticate', 'Basic realm="upstream"'],
          ['Content-Type', 'text/plain'],
        ].flat());
        seen.res.end('with headers');
      };
      const { req, response } = f.open('plain', { method: 'GET' });
      req.end();
      const res = await response;
      res.resume();
      assert.equal(res.statusCode, 200);
      const names = namesOf(res.rawHeaders);
      assert.ok(names.includes('X-Mixed-Case'), `header case kept: ${JSON.stringify(names)}`);
      assert.ok(names.includes('Content-Type'));
      assert.equal(res.headers['x-mixed-case'], 'Kept');
      assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; HttpOnly']);
      assert.equal(names.filter((n) => n.toLowerCase() === 'set-cookie').length, 2);
      for (const name of ['x-resp-hop', 'te', 'trailer', 'upgrade', 'proxy-authenticate']) assert.equal(res.headers[name], undefined, `${name} was returned`);
      // The proxy's own connection to the client has its own Connection and Keep-Alive; never the upstream's.
      assert.doesNotMatch(String(res.headers['keep-alive'] ?? ''), /max=7/);
      assert.doesNotMatch(String(res.headers.connection ?? ''), /x-resp-hop/i);
    });
  });

  describe(`a service's forwarder: on a proxy started with ${kind}`, () => {
    let f: ForwardFixture;
    before(async () => (f = await startForwardFixture(kind)));
    after(() => f.stop());
    beforeEach(() => f.reset());

    it(`sends a service that names ${OTHER[kind]} through ${OTHER[kind]}, and the others through ${kind}`, CASE, async () => {
      for (const [service, through] of [['plain', kind], ['other', OTHER[kind]], ['plain', kind]] as const) {
        const reply = await f.call(service, { headers: { 'X-Mixed-Case': service } });
        assert.equal(reply.status, 200);
        const seen = f.plain.last()!;
        assert.equal(seen.req.headers.host, service);
        assert.ok(namesOf(seen.req.rawHeaders).includes(REQUEST_NAME_AS_SENT[through]('X-Mixed-Case')), `${service} went through ${through}: ${JSON.stringify(seen.req.rawHeaders)}`);
      }
      const shown = await f.forwarders();
      assert.deepEqual([shown.plain, shown.other], [kind, OTHER[kind]], 'GET /v1/services says which forwarder each service uses');
    });

    it('accepts every forwarder name in the mesh and refuses another plainly', () => {
      const mesh = (forwarder: string) => `services:\n  a:\n    forwarder: ${forwarder}\n    instances: [{ id: a1, address: "127.0.0.1:1" }]\n`;
      assert.equal(parseMesh(mesh(kind)).services.a!.forwarder, kind);
      assert.throws(
        () => parseMesh(mesh('nope'), 'mesh.yaml'),
        (err: unknown) => err instanceof ConfigError && err.issues.map(formatIssue).some((m) => /services\.a\.forwarder/.test(m) && /forwarder is undici or hpm/.test(m)),
      );
    });

  });
}
