import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request, type Dispatcher } from 'undici';

/** No byte for this long (the control plane pings every 15 s) means the stream is dead: reconnect. */
export const STREAM_IDLE_MS = 45_000;
/** Largest event the proxy buffers: a snapshot holds at most a 1 MiB mesh text plus its faults and registrations. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/** Why a connection to the control plane failed or ended, said for /healthz `lastError`. */
export class StreamError extends Error {
  override readonly name = 'StreamError';
  constructor(
    readonly code: 'REFUSED' | 'ENDED' | 'UNREACHABLE',
    message: string,
  ) {
    super(message);
  }
}

export interface StreamOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
  /** Called once the control plane answered 200 with an event stream. */
  readonly onOpen: () => void;
  readonly onEvent: (event: EventSourceMessage) => void;
}

/**
 * Holds one server-sent-event stream open until it ends; always rejects
 * (with a StreamError, or the abort's reason) so the caller reconnects.
 */
export async function consumeStream(url: string, options: StreamOptions): Promise<never> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', ...options.headers },
      dispatcher: options.dispatcher,
      signal: options.signal,
      headersTimeout: 10_000,
      bodyTimeout: STREAM_IDLE_MS,
    });
  } catch (err) {
    if (options.signal.aborted) throw err;
    throw new StreamError('UNREACHABLE', `cannot reach ${new URL(url).origin}: ${describe(err)}`);
  }
  if (response.statusCode !== 200 || !String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    const text = await response.body.text().catch(() => '');
    throw new StreamError('REFUSED', `${new URL(url).origin} answered ${response.statusCode}${refusal(text)}`);
  }
  options.onOpen();
  const parser = createParser({ onEvent: options.onEvent, maxBufferSize: MAX_EVENT_CHARS });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
  } catch (err) {
    if (options.signal.aborted) throw err;
    throw new StreamError('ENDED', `the stream from ${new URL(url).origin} broke: ${describe(err)}`);
  }
  throw new StreamError('ENDED', `${new URL(url).origin} closed the stream`);
}

/** The `code: message` of a JSON error body, when there is one. */
function refusal(text: string): string {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') return ` ${body.code}: ${String(body.message ?? '')}`;
  } catch {
    // not JSON: the status says enough
  }
  return '';
}

const describe = (err: unknown): string => {
  const e = err as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' ? `${e.code}${e.message ? ` (${String(e.message)})` : ''}` : String(e.message ?? err);
};
