import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from '../../control/control-plane.js';
import { MemoryStore } from '../../control/store/memory/memory-store.js';
import { fakeTimers, type FakeTimers } from '../helpers/fake-timers.js';
import { send, type Reply } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';

export interface TestControl {
  readonly url: string;
  readonly clock: FakeTimers;
  readonly plane: RunningControlPlane;
  /** One JSON call; `token` sends Authorization: Bearer. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<Reply>;
  stop(): Promise<void>;
}

/** A control plane on a loopback port the OS picks, with a memory store on a fake clock. */
export async function startTestControl(options: Partial<ControlPlaneOptions> = {}): Promise<TestControl> {
  const clock = fakeTimers();
  const store = new MemoryStore({ timers: clock });
  const plane = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store, timers: clock, ...options });
  return {
    url: plane.url,
    clock,
    plane,
    call: (method, path, body, token = options.token) =>
      send(plane.url, {
        method,
        path,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    async stop() {
      await plane.close();
      await store.close();
    },
  };
}

export interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: any;
}

/** A stand-in proxy: opens /v1/stream and keeps every event it receives. */
export interface StreamClient {
  readonly status: number;
  readonly events: SseEvent[];
  /** Waits for an event after the first `after` ones that `pick` accepts, and returns it. */
  next(pick: (e: SseEvent) => boolean, after?: number): Promise<SseEvent>;
  snapshots(): SseEvent[];
  close(): void;
  readonly closed: () => boolean;
}

export function openStream(url: string, query: Record<string, string>, token?: string): Promise<StreamClient> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(
      { host: u.hostname, port: u.port, path: `/v1/stream?${new URLSearchParams(query)}`, headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }, agent: false },
      (res: IncomingMessage) => {
        const events: SseEvent[] = [];
        let buffer = '';
        let ended = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = new Map<string, string>();
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const i = line.indexOf(':');
              fields.set(line.slice(0, i), line.slice(i + 1).trimStart());
            }
            if (!fields.has('data')) continue;
            const raw = fields.get('data')!;
            let data: unknown = raw;
            try {
              data = JSON.parse(raw);
            } catch {
              // not JSON: kept as text (an error body)
            }
            events.push({ event: fields.get('event') ?? 'message', ...(fields.has('id') ? { id: fields.get('id')! } : {}), data });
          }
        });
        res.on('end', () => (ended = true));
        res.on('close', () => (ended = true));
        res.on('error', () => (ended = true));
        resolve({
          status: res.statusCode ?? 0,
          events,
          snapshots: () => events.filter((e) => e.event === 'snapshot'),
          async next(pick, after = 0) {
            let found: SseEvent | undefined;
            await waitFor(() => (found = events.slice(after).find(pick)) !== undefined, `an event that fits, after ${after} (saw ${events.map((e) => e.event).join(', ')})`);
            return found!;
          },
          close: () => req.destroy(),
          closed: () => ended,
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A mesh with one service and one route splitting by version label. */
export const MESH = `services:
  payments:
    instances:
      - { id: p1, address: 127.0.0.1:9301, labels: { version: v1 } }
    routes:
      - to:
          - { labels: { version: v1 }, weight: 90 }
          - { labels: { version: v2 }, weight: 10 }
`;
