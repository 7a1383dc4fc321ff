import { Agent, request } from 'undici';
import { timerMs } from '../../proxy/config/duration.js';
import type { ProviderOf } from '../experiment/provider-schema.js';
import type { SignalOnly } from './provider-context.js';

export interface HttpOutput {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Parsed when the response says it is JSON, text otherwise. */
  readonly body: unknown;
}

/**
 * Chaos Toolkit's http provider: `arguments` become the query of a GET and
 * a JSON body otherwise; `timeout` (ms once parsed) bounds the whole call,
 * or is [connect, read].
 */
export async function runHttp(p: ProviderOf<'http'>, ctx: SignalOnly): Promise<HttpOutput> {
  const [connectMs, readMs] = Array.isArray(p.timeout) ? p.timeout : [p.timeout, p.timeout];
  const url = new URL(p.url);
  const headers: Record<string, string> = { ...p.headers };
  let body: string | undefined;
  if (p.arguments !== undefined) {
    if (p.method === 'GET' || p.method === 'HEAD') {
      for (const [k, v] of Object.entries(p.arguments as Record<string, unknown>)) url.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    } else {
      body = JSON.stringify(p.arguments);
      headers['content-type'] ??= 'application/json';
    }
  }
  const dispatcher = new Agent({
    connect: { rejectUnauthorized: p.verify_tls, ...(connectMs ? { timeout: timerMs(connectMs) } : {}) },
    ...(readMs ? { headersTimeout: timerMs(readMs), bodyTimeout: timerMs(readMs) } : {}),
  });
  // One overall limit as well, as a single Chaos Toolkit timeout bounds the whole call.
  const signal = typeof p.timeout === 'number' ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timerMs(p.timeout))]) : ctx.signal;
  try {
    const res = await request(url, { method: p.method, headers, body, dispatcher, signal });
    const text = await res.body.text();
    const json = String(res.headers['content-type'] ?? '').includes('json');
    let parsed: unknown = text;
    if (json && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON after all: keep the text.
      }
    }
    if (p.expected_status !== undefined && res.statusCode !== p.expected_status) throw new Error(`${p.method} ${p.url} answered ${res.statusCode}, expected ${p.expected_status}`);
    return { status: res.statusCode, headers: res.headers, body: parsed };
  } finally {
    void dispatcher.close();
  }
}
