import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { parseRequestTarget } from '../../../proxy/http/request-target.js';
import { traceContextOf, traceparentOf } from '../../../proxy/http/trace-context.js';

const fakeRequest = (url: string, host?: string) => ({ url, headers: host === undefined ? {} : { host } }) as unknown as IncomingMessage;

describe('request target', () => {
  it('takes the service from the Host header and ignores its port', () => {
    assert.deepEqual(parseRequestTarget(fakeRequest('/api/pay?x=1', 'Payments:15001')), { service: 'payments', url: '/api/pay?x=1', path: '/api/pay' });
  });

  it('takes the service from an absolute URL and rewrites Host to match', () => {
    const req = fakeRequest('http://inventory:80/items?id=3', 'proxy:15001');
    assert.deepEqual(parseRequestTarget(req), { service: 'inventory', url: '/items?id=3', path: '/items' });
    assert.equal(req.headers.host, 'inventory:80');
  });

  it('gives an absolute URL with no path the root path', () => {
    assert.deepEqual(parseRequestTarget(fakeRequest('http://inventory', undefined)), { service: 'inventory', url: '/', path: '/' });
    assert.deepEqual(parseRequestTarget(fakeRequest('http://inventory?q=1', undefined)), { service: 'inventory', url: '/?q=1', path: '/' });
  });

  it('names no service when there is no Host', () => {
    assert.equal(parseRequestTarget(fakeRequest('/x')).service, '');
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
