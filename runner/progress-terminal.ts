import { realTimers, type Timers } from '../proxy/core/timers.js';

/**
 * Where progress goes: lines that scroll, and on a terminal one or more live
 * blocks redrawn under them (each run's faults, probes and safeguards).
 * Several printers (a game day's runs at once) and plain log lines share one.
 */
export interface ProgressTerminal {
  /** Whether live blocks are drawn: a terminal; false for a pipe or a file, which get plain lines only. */
  readonly live: boolean;
  line(text: string): void;
  /** Sets the block drawn as `key` under the lines, rendered again at each redraw (with a spinner frame); undefined removes it. */
  block(key: string, render: ((frame: string) => readonly string[]) | undefined): void;
  /** Removes every block and stops redrawing; lines still go through. */
  close(): void;
}

type TtyLike = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** How often the blocks are redrawn: the countdowns move by the second, the spinner twice as fast. */
export const TICK_MS = 500;

/** A line cut to the terminal's width: a block line that wrapped would make the next redraw erase the wrong rows. */
const fit = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`);

/** Whether `stream` is a terminal that can redraw (one reporting no width, as some pseudo-terminals do, would miscount its rows). */
export const isLiveTerminal = (stream: TtyLike): boolean => stream.isTTY === true && (stream.columns ?? 0) > 0 && process.env.TERM !== 'dumb';

/**
 * The terminal for `stream`: live blocks on a terminal, plain lines
 * elsewhere (`live` forces one or the other). While a block is drawn, other
 * writes to the stream (a signal handler's message) erase it first, so a
 * block never ends up in the middle of the scrolled lines.
 */
export function progressTerminal(stream: TtyLike, o: { readonly timers?: Timers; readonly live?: boolean } = {}): ProgressTerminal {
  const live = o.live ?? isLiveTerminal(stream);
  if (!live) return { live, line: (text) => void stream.write(`${text}\n`), block: () => {}, close: () => {} };
  const timers = o.timers ?? realTimers;
  const blocks = new Map<string, (frame: string) => readonly string[]>();
  const original = stream.write;
  const ownWrite = Object.prototype.hasOwnProperty.call(stream, 'write');
  const write = original.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let drawn = 0;
  let frame = 0;
  let tick: unknown;
  let hooked = false;

  const erase = () => {
    const seq = drawn ? `\x1b[${drawn}A\r\x1b[0J` : '';
    drawn = 0;
    return seq;
  };
  const render = () => {
    const width = Math.max(10, (stream.columns ?? 80) - 1);
    let lines = [...blocks.values()].flatMap((r) => r(FRAMES[frame % FRAMES.length]!));
    // Rows scrolled off the top cannot be reached to be erased: the block stays within the screen.
    const room = Math.max(1, (stream.rows ?? 24) - 2);
    if (lines.length > room) lines = [...lines.slice(0, room - 1), `  … and ${lines.length - room + 1} more lines`];
    drawn = lines.length;
    return lines.map((l) => `${fit(l, width)}\n`).join('');
  };
  const redraw = () => void write(`${erase()}${render()}`);
  // Another write to the stream while a block is up: the block goes first, and comes back at the next tick.
  const external = (chunk: unknown, ...rest: unknown[]) => {
    if (drawn) write(erase());
    return write(chunk, ...rest);
  };
  const arm = () => {
    if (tick !== undefined || !blocks.size) return;
    tick = timers.setTimeout(() => {
      tick = undefined;
      frame++;
      if (!blocks.size) return;
      redraw();
      arm();
    }, TICK_MS);
  };
  const hook = (on: boolean) => {
    if (on === hooked) return;
    hooked = on;
    const s = stream as { write?: unknown };
    if (on) s.write = external;
    // Left as it was found: the prototype's method again, or the stream's own.
    else if (ownWrite) s.write = original;
    else delete s.write;
  };
  const stop = () => {
    if (tick !== undefined) timers.clearTimeout(tick);
    tick = undefined;
    write(erase());
    hook(false);
  };

  return {
    live,
    line(text) {
      write(`${erase()}${text}\n${render()}`);
    },
    block(key, r) {
      if (r) blocks.set(key, r);
      else blocks.delete(key);
      if (!blocks.size) return stop();
      hook(true);
      redraw();
      arm();
    },
    close() {
      blocks.clear();
      stop();
    },
  };
}
