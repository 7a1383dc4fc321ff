import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { ProxyError } from '../../../proxy/errors.js';
import { parseRequestTarget, type RequestTarget } from '../../../proxy/http/request-target.js';
import { traceContextOf, traceparentOf } from '../../../proxy/http/trace-context.js';

const fakeRequest = (url: string, host?: string, ...moreHosts: string[]) =>
  ({ url, headers: host === undefined ? {} : { host }, rawHeaders: [host, ...moreHosts].filter((h) => h !== undefined).flatMap((h) => ['Host', h]) }) as unknown as IncomingMessage;
const targetOf = (req: IncomingMessage): RequestTarget => {
  const target = parseRequestTarget(req);
  if (target instanceof ProxyError) assert.fail(target.message);
  return target;
};
const refusal = (req: IncomingMessage): ProxyError => {
  const target = parseRequestTarget(req);
  assert.ok(target instanceof ProxyError, `expected a refusal, got ${JSON.stringify(target)}`);
  return target;
};

describe('request target', () => {
  it('takes the service from the Host header and ignores its port', () => {
    assert.deepEqual(targetOf(fakeRequest('/api/pay?x=1', 'Payments:15001')), { service: 'payments', url: '/api/pay?x=1', path: '/api/pay' });
  });

  it('takes the service from an absolute URL and rewrites Host to match', () => {
    const req = fakeRequest('http://inventory:80/items?id=3', 'proxy:15001');
    assert.deepEqual(targetOf(req), { service: 'inventory', url: '/items?id=3', path: '/items' });
    assert.equal(req.headers.host, 'inventory:80');
  });

  it('gives an absolute URL with no path the root path', () => {
    assert.deepEqual(targetOf(fakeRequest('http://inventory', undefined)), { service: 'inventory', url: '/', path: '/' });
    assert.deepEqual(targetOf(fakeRequest('http://inventory?q=1', undefined)), { service: 'inventory', url: '/?q=1', path: '/' });
  });

  it('names no service when there is no Host', () => {
    assert.equal(targetOf(fakeRequest('/x')).service, '');
  });

  it('refuses a request with two Host headers, whatever their case, even in absolute form', () => {
    for (const req of [fakeRequest('/x', 'payments', 'evil'), fakeRequest('http://payments/x', 'payments', 'payments')]) {
      const err = refusal(req);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'INVALID_HOST');
      assert.match(err.message, /more than one Host/);
    }
    const mixedCase = { url: '/x', headers: { host: 'a' }, rawHeaders: ['host', 'a', 'HOST', 'b'] } as unknown as IncomingMessage;
    assert.equal(refusal(mixedCase).code, 'INVALID_HOST');
  });

  it('refuses a destination with user information, in the Host header or an absolute URL', () => {
    for (const req of [fakeRequest('/x', 'evil@payments'), fakeRequest('http://evil@payments/x', 'proxy')]) {
      const err = refusal(req);
      assert.equal(err.status, 400);
      assert.match(err.message, /"evil@payments" carries user information/);
    }
  });

  it('refuses a Host that is not host[:port]', () => {
    for (const host of ['payments/x', 'pay ments', 'payments:80:90', 'payments:http']) assert.equal(refusal(fakeRequest('/x', host)).code, 'INVALID_HOST', host);
  });

  it('accepts names, IPv4 and IPv6 literals with or without a port', () => {
    assert.equal(targetOf(fakeRequest('/x', 'pay-1.payments.svc:8080')).service, 'pay-1.payments.svc');
    assert.equal(targetOf(fakeRequest('/x', '127.0.0.1:15001')).service, '127.0.0.1');
    assert.equal(targetOf(fakeRequest('/x', '[::1]:15001')).service, '[::1]');
  });
});

describe('trace context', () => {
  it('continues a valid traceparent with a new span for this hop', () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const trace = traceContextOf({ traceparent: parent });
    assert.equal(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.notEqual(trace.spanId, '00f067aa0ba902b7');
    assert.match(traceparentOf(trace), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it('starts a new trace when the traceparent is missing or malformed', () => {
    for (const traceparent of [undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']) {
      const trace = traceContextOf(traceparent === undefined ? {} : { traceparent });
      assert.match(trace.traceId, /^[0-9a-f]{32}$/);
      assert.notEqual(trace.traceId, '0'.repeat(32));
    }
  });

  it('keeps a caller-given x-request-id and otherwise uses the trace id', () => {
    assert.equal(traceContextOf({ 'x-request-id': 'req-42' }).requestId, 'req-42');
    const t = traceContextOf({});
    assert.equal(t.requestId, t.traceId);
  });

  it('gives every new trace a different id', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => traceContextOf({}).traceId));
    assert.equal(ids.size, 1000);
  });
});
