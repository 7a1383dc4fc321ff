import { randomFillSync } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** W3C trace context of one call, plus the request id that ties logs together. */
export interface TraceContext {
  readonly traceId: string;
  /** The span id this proxy hop sends upstream as the parent. */
  readonly spanId: string;
  readonly flags: string;
  readonly requestId: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);

/**
 * Continues the caller's trace when its `traceparent` is valid, starts a new
 * one otherwise, and gives this hop its own span id (the hop is a span).
 */
export function traceContextOf(headers: IncomingHttpHeaders): TraceContext {
  const parent = headers.traceparent;
  const m = typeof parent === 'string' ? TRACEPARENT.exec(parent) : null;
  const traceId = m && m[1] !== ZERO_TRACE ? m[1]! : randomHex(32);
  const flags = m ? m[3]! : '01';
  const given = headers['x-request-id'];
  const requestId = typeof given === 'string' && given.length > 0 && given.length <= 200 ? given : traceId;
  return { traceId, spanId: randomHex(16), flags, requestId };
}

export function traceparentOf(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

// Random bytes come from a pool refilled in bulk: one crypto call per few
// hundred requests instead of one per id.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex(chars: number): string {
  const bytes = chars / 2;
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
