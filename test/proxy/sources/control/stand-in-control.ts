import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A snapshot as the push protocol sends it; tests fill in only what they need. */
export interface TestSnapshot {
  version: number;
  mesh: { text: string; file: string } | null;
  registrations?: Array<{ service: string; id: string; address: string; region?: string; zone?: string; labels: Record<string, string> }>;
  faults?: Array<{ id: string; spec: Record<string, unknown>; remainingMs: number }>;
  halted?: boolean;
  overrides?: Array<{ service: string; route: number; to: Array<{ labels: Record<string, string>; weight: number }>; remainingMs: number }>;
}

export interface StreamConnect {
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

/**
 * A stand-in for the control plane's proxy-facing side (the push protocol
 * and registrations), small enough to read in a test: it sends what the
 * test pushes, and records what the proxy sends back.
 */
export async function startStandInControl(options: { token?: string; initial?: TestSnapshot; channel?: ChannelMode } = {}) {
  const streams = new Set<ServerResponse>();
  const connects: StreamConnect[] = [];
  const acks: Array<{ version: number; applied: boolean; reason?: string }> = [];
  const reports: Array<{ faults: Record<string, { matched: number; hit: number }>; instances: Array<{ service: string; id: string; state: string }> }> = [];
  const registrations = new Map<string, Record<string, unknown>>();
  const calls: string[] = [];
  /** How each ack and report came: 'channel' or 'post'. */
  const via: Array<'channel' | 'post'> = [];
  const channels = new Set<ServerResponse>();
  /** Every line a channel brought, recorded or not. */
  const channelLines: string[] = [];
  let channelMode: ChannelMode = options.channel ?? 'accept';
  let current: TestSnapshot | undefined = options.initial;

  const authorized = (req: IncomingMessage) => !options.token || req.headers.authorization === `Bearer ${options.token}`;
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const event = (name: string, data: unknown, id?: number) => `event: ${name}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
  const full = (s: TestSnapshot) => ({ registrations: [], faults: [], halted: false, overrides: [], ...s });

  /** The channel as the control plane speaks it: 200 at once, a line per message, `recorded` after each chunk. */
  const channel = (req: IncomingMessage, res: ServerResponse) => {
    if (channelMode === 'refuse') return json(res, 404, { code: 'NOT_FOUND', message: 'no channel on this stand-in' });
    res.writeHead(200, { 'content-type': 'application/x-ndjson', connection: 'close' });
    res.flushHeaders();
    channels.add(res);
    res.once('close', () => channels.delete(res));
    let buffer = '';
    let recorded = 0;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() === '') continue;
        channelLines.push(line);
        if (channelMode === 'unrecorded') continue;
        const { type, ...body } = JSON.parse(line) as { type: string };
        (type === 'ack' ? acks : reports).push(body as never);
        via.push('channel');
        recorded++;
      }
      if (!res.writableEnded && channelMode !== 'unrecorded') res.write(`{"type":"recorded","lines":${recorded}}\n`);
    });
    req.on('end', () => res.end());
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method === 'POST' && /^\/v1\/proxies\/[^/]+\/channel$/.test(url.pathname)) {
      calls.push(`${req.method} ${url.pathname}`);
      if (!authorized(req)) return json(res, 401, { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <token>' });
      return channel(req, res);
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    calls.push(`${req.method} ${url.pathname}`);
    if (!authorized(req)) return json(res, 401, { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <token>' });
    if (req.method === 'GET' && url.pathname === '/v1/stream') {
      connects.push({ query: url.searchParams, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      streams.add(res);
      res.once('close', () => streams.delete(res));
      if (current) res.write(event('snapshot', full(current), current.version));
      else res.write(': no snapshot yet\n\n');
      return;
    }
    const proxyPost = /^\/v1\/proxies\/([^/]+)\/(ack|report)$/.exec(url.pathname);
    if (req.method === 'POST' && proxyPost) {
      (proxyPost[2] === 'ack' ? acks : reports).push(JSON.parse(body));
      via.push('post');
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && url.pathname === '/v1/registrations') {
      const r = JSON.parse(body) as { service: string; id: string };
      registrations.set(`${r.service}/${r.id}`, r);
      return json(res, 201, { registration: r, lease: { id: 'lease-1', ttlMs: 1000 } });
    }
    const reg = /^\/v1\/registrations\/([^/]+)\/([^/]+)(\/renew)?$/.exec(url.pathname);
    if (reg) {
      const key = `${reg[1]}/${reg[2]}`;
      if (!registrations.has(key)) return json(res, 404, { code: 'NOT_FOUND', message: 'no such registration' });
      if (req.method === 'DELETE') registrations.delete(key);
      return json(res, 200, { ok: true });
    }
    json(res, 404, { code: 'NOT_FOUND', message: `${req.method} ${url.pathname}` });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    acks,
    reports,
    registrations,
    calls,
    via,
    channelLines,
    /** How later channels are answered; 'refuse' is an older control plane's 404. */
    channelMode(mode: ChannelMode) {
      channelMode = mode;
    },
    openChannels: () => channels.size,
    /** Ends every open channel with an error line, as the control plane does after a line it refuses. */
    refuseChannels(message = 'line 2: report refused') {
      for (const res of channels) res.end(`${JSON.stringify({ type: 'error', code: 'INVALID_LINE', message })}\n`);
    },
    /** Becomes the state new streams get, and is sent to every open stream. */
    push(snapshot: TestSnapshot) {
      current = snapshot;
      for (const res of streams) res.write(event('snapshot', full(snapshot), snapshot.version));
    },
    /** Sends raw text to every open stream (a malformed event, an old version). */
    write(text: string) {
      for (const res of streams) res.write(text);
    },
    leases(data: { remaining?: Record<string, number>; overrides?: Record<string, number> }) {
      for (const res of streams) res.write(event('leases', { remaining: {}, overrides: {}, ...data }));
    },
    openStreams: () => streams.size,
    /** Cuts every open stream, as a dying replica would. */
    dropStreams() {
      for (const res of streams) res.socket?.destroy();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** accept: as the control plane does; refuse: 404, as one without channels; unrecorded: open, but every line is lost. */
export type ChannelMode = 'accept' | 'refuse' | 'unrecorded';

export type StandInControl = Awaited<ReturnType<typeof startStandInControl>>;
