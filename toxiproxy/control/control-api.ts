import { Agent, request } from 'undici';
import { ToxiproxyError, type ToxiproxyErrorCode } from '../toxiproxy-error.js';

/** How long a call may take, besides the wait a long poll asks for. */
const CALL_TIMEOUT_MS = 10_000;

export type ControlFailureKind =
  /** No answer: refused, reset, timed out. */
  | 'UNREACHABLE'
  /** 401 or 403: the token (--control-token) is wrong, or none was given. */
  | 'REFUSED'
  /** An answer that is not the toxiproxy set: the store out of reach (503), or a control plane without these routes. */
  | 'UNAVAILABLE';

/** The control plane did not do what was asked; `kind` says whether it was reached at all. */
export class ControlFailure extends Error {
  override readonly name = 'ControlFailure';
  constructor(
    readonly kind: ControlFailureKind,
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The set's revision after the call (x-faultmesh-toxiproxy-revision). */
  readonly revision: number;
}

/**
 * The calls a toxiproxy process makes to the control plane's /v1/toxiproxy
 * routes. A refusal in Toxiproxy's shape comes back as the ToxiproxyError
 * it was (409, 404, 400, with its field); every other failure is a
 * ControlFailure. With several URLs (replicas on one etcd), `rotate` moves
 * to the next after a failure.
 */
export class ToxiproxyControlApi {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
  private turn = 0;

  constructor(
    private readonly urls: readonly string[],
    private readonly token: string | undefined,
  ) {
    if (urls.length === 0) throw new TypeError('the toxiproxy control client needs at least one URL');
  }

  get url(): string {
    return this.urls[this.turn % this.urls.length]!;
  }

  rotate(): void {
    this.turn++;
  }

  /** GET /v1/toxiproxy: at once, or (with `after`) once the set's revision differs from it, at most `waitMs` later. */
  snapshot(after?: number, waitMs = 0, signal?: AbortSignal): Promise<ControlAnswer> {
    const query = after === undefined ? '' : `?after=${after}&wait=${waitMs}`;
    return this.call('GET', `/v1/toxiproxy${query}`, undefined, waitMs, signal);
  }

  /** One change, with Toxiproxy's body. */
  change(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ControlAnswer> {
    return this.call(method, `/v1/toxiproxy${path}`, body, 0);
  }

  close(): Promise<void> {
    return this.agent.destroy();
  }

  private async call(method: string, path: string, body: unknown, waitMs: number, signal?: AbortSignal): Promise<ControlAnswer> {
    const url = this.url;
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    let revisionHeader: string | string[] | undefined;
    try {
      const res = await request(new URL(path, url), {
        method: method as 'GET',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.agent,
        headersTimeout: CALL_TIMEOUT_MS + waitMs,
        bodyTimeout: CALL_TIMEOUT_MS,
        ...(signal ? { signal } : {}),
      });
      status = res.statusCode;
      revisionHeader = res.headers['x-faultmesh-toxiproxy-revision'];
      text = await res.body.text();
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      throw new ControlFailure('UNREACHABLE', url, `the control plane at ${url} cannot be reached (${e.cause?.code ?? e.code ?? e.message})`);
    }
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) return { status, body: parsed, revision: Number(revisionHeader ?? 0) || 0 };
    const b = (parsed ?? {}) as { error?: unknown; status?: unknown; code?: unknown; field?: unknown; reason?: unknown; message?: unknown };
    if (typeof b.error === 'string' && typeof b.status === 'number' && typeof b.code === 'string') {
      throw new ToxiproxyError(b.code as ToxiproxyErrorCode, b.status, b.error, Array.isArray(b.field) ? (b.field as PropertyKey[]) : [], {}, typeof b.reason === 'string' ? b.reason : undefined);
    }
    const said = typeof b.message === 'string' ? b.message : text.slice(0, 200);
    if (status === 401 || status === 403) {
      throw new ControlFailure('REFUSED', url, `the control plane at ${url} refused this server (${status}: ${said}): give its token with --control-token or FAULTMESH_CONTROL_TOKEN`);
    }
    throw new ControlFailure('UNAVAILABLE', url, `the control plane at ${url} answered ${status}: ${said}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
