import { request } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { waitFor } from '../helpers/wait.js';

export interface PageStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: EventSourceMessage[];
  /** The newest event named `event` after the first `after` events that `pick` accepts, once there is one. */
  next<T = any>(event: string, pick?: (data: T) => boolean, after?: number): Promise<T>;
  close(): void;
}

/** GET `path` as the page's EventSource does, keeping every event it receives. */
export function openPageStream(base: string, path = '/ui/events', headers: Record<string, string> = {}): Promise<PageStream> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const events: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (e) => events.push(e) });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('error', () => {});
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        async next(event, pick = () => true, after = 0) {
          let found: any;
          await waitFor(() => {
            const hit = events.slice(after).filter((e) => e.event === event).map((e) => JSON.parse(e.data)).filter(pick);
            found = hit[hit.length - 1];
            return found !== undefined;
          }, `a "${event}" event that fits (saw ${events.map((e) => e.event).join(', ') || 'none'})`);
          return found;
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
