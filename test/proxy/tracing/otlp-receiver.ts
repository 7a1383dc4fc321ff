import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A small OTLP/HTTP collector for tests, on a loopback port the OS picks:
 * it takes POST /v1/traces as the real exporter sends it (OTLP's JSON
 * encoding: @opentelemetry/exporter-trace-otlp-http sends JSON; its
 * protobuf sibling is another package, not a dependency) and keeps each
 * span, flattened. `answer` makes it fail (a collector that refuses) or
 * hold every request unanswered (one that hangs).
 */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: ReadonlyArray<{ readonly name: string; readonly attributes: Readonly<Record<string, unknown>> }>;
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string; readonly attributes: Readonly<Record<string, unknown>> }>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  readonly status: { readonly code: number; readonly message: string | undefined };
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly resource: Readonly<Record<string, unknown>>;
}

export type Answer = { readonly kind: 'ok' } | { readonly kind: 'status'; readonly status: number } | { readonly kind: 'hang' };

export interface OtlpReceiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Requests received (exports tried), whatever they were answered. */
  readonly requests: () => number;
  answer(a: Answer): void;
  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let answer: Answer = { kind: 'ok' };
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    if (answer.kind === 'hang') return void req.resume();
    void readBody(req).then((body) => {
      if (answer.kind === 'status') {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString();
      spans.push(...decode(JSON.parse(text) as Json));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests: () => requests,
    answer: (a) => void (answer = a),
    trace: (traceId) => spans.filter((s) => s.traceId === traceId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An ExportTraceServiceRequest in OTLP/JSON, as flat spans. */
function decode(body: Json): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of (body.resourceSpans as Json[] | undefined) ?? []) {
    const resource = attributesOf((rs.resource as Json | undefined)?.attributes);
    for (const ss of (rs.scopeSpans as Json[] | undefined) ?? []) {
      for (const s of (ss.spans as Json[] | undefined) ?? []) {
        const status = (s.status as Json | undefined) ?? {};
        out.push({
          traceId: idOf(s.traceId)!,
          spanId: idOf(s.spanId)!,
          parentSpanId: idOf(s.parentSpanId),
          name: String(s.name),
          kind: Number(s.kind),
          attributes: attributesOf(s.attributes),
          events: ((s.events as Json[] | undefined) ?? []).map((e) => ({ name: String(e.name), attributes: attributesOf(e.attributes) })),
          links: ((s.links as Json[] | undefined) ?? []).map((l) => ({ traceId: idOf(l.traceId)!, spanId: idOf(l.spanId)!, attributes: attributesOf(l.attributes) })),
          status: { code: Number(status.code ?? 0), message: typeof status.message === 'string' && status.message !== '' ? status.message : undefined },
          startNs: BigInt(String(s.startTimeUnixNano)),
          endNs: BigInt(String(s.endTimeUnixNano)),
          resource,
        });
      }
    }
  }
  return out;
}

/** OTLP/JSON ids are hex (the spec); base64 is accepted too, as some encoders write it. */
function idOf(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^[0-9a-f]+$/i.test(v) && (v.length === 32 || v.length === 16)) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of (list as Json[] | undefined) ?? []) out[String(kv.key)] = valueOf(kv.value as Json);
  return out;
}

function valueOf(v: Json | undefined): unknown {
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (((v.arrayValue as Json).values as Json[] | undefined) ?? []).map(valueOf);
  return undefined;
}
