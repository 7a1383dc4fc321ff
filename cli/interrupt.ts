/**
 * Ctrl-C and SIGTERM become an abort signal, so what runs can revert before
 * the process exits; further signals only say that the revert is under way.
 */
export function interruptOnSignals(onFirst: string | (() => string), onRepeat: string | (() => string) = 'still reverting; faultmesh exits when the revert is done'): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    // A function: the message depends on what is running when the signal comes (the demo's idle shop reverts nothing).
    const said = controller.signal.aborted ? onRepeat : onFirst;
    process.stderr.write(`\n${name}: ${typeof said === 'function' ? said() : said}\n`);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
