import type { RunEvents } from './events.js';
import { LiveView } from './progress-live.js';
import { activityEndedLine, endedByHalt, faultEndedLine, faultIdOf, faultInjectedLine, PHASES, runEndedLine } from './progress-lines.js';
import { progressTerminal, type ProgressTerminal } from './progress-terminal.js';

export interface PrinterOptions {
  /** Shared with other printers and log lines (a game day, the demo); by default one of its own on `stream`, closed when the run ends. */
  readonly terminal?: ProgressTerminal;
  /** The run's clock, for the countdowns (default Date.now). */
  readonly now?: () => number;
}

let printers = 0;

/**
 * Progress as the run goes: phases, each probe's value against its
 * tolerance, fault windows. Piped (CI logs, files) it is plain lines. On a
 * terminal the same lines scroll, and under them a live block shows what
 * runs now, each fault in force with its countdown and live hit count, the
 * last probe values and the safeguards' state (whose passing checks then
 * stay in the block instead of taking a line each).
 */
export function progressPrinter(stream: NodeJS.WritableStream = process.stderr, mask: (s: string) => string = (s) => s, prefix = '', options: PrinterOptions = {}): RunEvents {
  const terminal = options.terminal ?? progressTerminal(stream);
  const view = new LiveView(options.now ?? Date.now);
  const key = `${prefix}#${++printers}`;
  const line = (text: string) => terminal.line(`${prefix}${mask(text)}`);
  const show = () => terminal.block(key, (frame) => view.lines(frame).map((l) => `${prefix}${mask(l)}`));
  /** What the stop line said: a fault it named is not named again. */
  let stopReason = '';
  /** Faults an operator's halt ended: their activity's line then says only that it was interrupted. */
  const halted = new Set<string>();
  return {
    phase(phase) {
      view.phase(phase);
      if (phase === 'done') return terminal.block(key, undefined);
      line(`» ${PHASES[phase]}`);
      show();
    },
    activityStarted(activity, section) {
      view.activityStarted(activity, section);
      show();
    },
    activityEnded(r) {
      view.activityEnded(r);
      if (terminal.live && r.section === 'safeguard' && r.status === 'succeeded' && r.tolerance_met) return;
      const id = faultIdOf(r);
      line(activityEndedLine(r, r.status !== 'succeeded' && id !== undefined && halted.has(id)));
    },
    hypothesisChecked(when, h) {
      line(`  steady state ${when}: ${h.met ? 'met' : 'NOT met'}`);
    },
    faultInjected(f) {
      view.faultInjected(f);
      line(faultInjectedLine(f));
    },
    faultCounted(f, counts) {
      view.faultCounted(f, counts);
    },
    faultEnded(f) {
      view.faultEnded(f);
      if (endedByHalt(f)) halted.add(f.id);
      line(faultEndedLine(f, { stopLineNamedIt: stopReason.includes(f.id), windowMs: view.windowOf(f.activity) }));
    },
    stopped(reason) {
      stopReason = reason;
      line(`✗ stopping: ${reason}`);
    },
    rollbacksSkipped(reason) {
      line(`» rollbacks skipped: ${reason}`);
    },
    runEnded(journal) {
      terminal.block(key, undefined);
      line(runEndedLine(journal));
      if (!options.terminal) terminal.close();
    },
  };
}
