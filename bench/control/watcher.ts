import { Client } from 'undici';

/** Microseconds on the system-wide monotonic clock (CLOCK_MONOTONIC on Linux): comparable across processes on one host. */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export interface Ack {
  readonly version: number;
  /** When the snapshot's last byte was read. */
  readonly receivedUs: number;
  /** When the control plane answered the ack: it has recorded it in its observed state by then. */
  readonly ackedUs: number;
}

export interface WatcherOptions {
  readonly origin: string;
  readonly id: string;
  readonly token: string | undefined;
  /** Called after every answered ack, so the worker can settle waits. */
  readonly onAck: () => void;
}

/** How many acks a watcher remembers: the bench waits on the newest few versions only. */
const KEPT_ACKS = 64;
/** A snapshot carries a small mesh and at most a few faults here; anything bigger is a bug in the bench. */
const MAX_BUFFER_CHARS = 4 * 1024 * 1024;

const REPORT = JSON.stringify({ faults: {}, instances: [{ service: 'bench', id: 'bench-1', state: 'healthy' }] });

/**
 * A light stand-in for a proxy: the same stream, acks and reports as
 * `faultmesh proxy --control`, on its own two connections (stream; acks and
 * reports), without applying anything. It reads each snapshot's version from
 * its `id:` line and does not parse the JSON: the bench measures the control
 * plane, and the watchers share its two cores.
 */
export class Watcher {
  readonly acks: Ack[] = [];
  reports = 0;
  errors = 0;
  private readonly stream: Client;
  private readonly posts: Client;
  private chain: Promise<void> = Promise.resolve();
  private reportTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: WatcherOptions) {
    this.stream = new Client(options.origin, { bodyTimeout: 0, headersTimeout: 10_000 });
    this.posts = new Client(options.origin, { pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 10_000, bodyTimeout: 10_000 });
  }

  /** Opens the stream; resolves once the first snapshot is acknowledged, rejects if the stream cannot open. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const first = () => {
        if (this.acks.length > 0) resolve();
      };
      this.consume(first).catch((err: Error) => {
        if (!this.closed) reject(err);
      });
    });
  }

  /** The first ack of a version at or after `version`, if there is one yet. */
  ackFor(version: number): Ack | undefined {
    return this.acks.find((a) => a.version >= version);
  }

  /** Reports every `everyMs` (0: stop), from a random offset so the watchers do not report in step. */
  report(everyMs: number): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (everyMs <= 0 || this.closed) return;
    const next = (delay: number) => {
      this.reportTimer = setTimeout(() => {
        this.post('report', REPORT, () => this.reports++);
        next(everyMs);
      }, delay);
    };
    next(Math.random() * everyMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.report(0);
    await Promise.all([this.stream.destroy(), this.posts.close().catch(() => {})]);
  }

  private async consume(onFirstAck: () => void): Promise<void> {
    const query = new URLSearchParams({ id: this.options.id, service: 'bench', applied: '0' });
    const res = await this.stream.request({ path: `/v1/stream?${query}`, method: 'GET', headers: { accept: 'text/event-stream', ...this.authorization() } });
    if (res.statusCode !== 200) throw new Error(`watcher ${this.options.id}: stream answered ${res.statusCode}: ${await res.body.text()}`);
    res.body.setEncoding('utf8');
    let buffer = '';
    for await (const chunk of res.body as AsyncIterable<string>) {
      buffer += chunk;
      if (buffer.length > MAX_BUFFER_CHARS) throw new Error(`watcher ${this.options.id}: an event over ${MAX_BUFFER_CHARS} characters`);
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.startsWith('event: snapshot\n')) continue;
        const version = Number(/\nid: (\d+)\n/.exec(block)?.[1]);
        if (Number.isInteger(version)) this.ack(version, nowUs(), onFirstAck);
      }
    }
  }

  private ack(version: number, receivedUs: number, onFirstAck: () => void): void {
    this.post('ack', JSON.stringify({ version, applied: true }), () => {
      this.acks.push({ version, receivedUs, ackedUs: nowUs() });
      if (this.acks.length > KEPT_ACKS) this.acks.shift();
      onFirstAck();
      this.options.onAck();
    });
  }

  /** One post at a time, in order, as the proxy's client sends them. */
  private post(kind: 'ack' | 'report', body: string, done: () => void): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        const res = await this.posts.request({ path: `/v1/proxies/${encodeURIComponent(this.options.id)}/${kind}`, method: 'POST', headers: { 'content-type': 'application/json', ...this.authorization() }, body });
        await res.body.dump();
        if (res.statusCode === 200) done();
        else this.errors++;
      } catch {
        if (!this.closed) this.errors++;
      }
    });
  }

  private authorization(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }
}
