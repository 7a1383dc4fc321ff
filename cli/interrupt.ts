/**
 * Ctrl-C and SIGTERM become an abort signal, so what runs can revert before
 * the process exits; further signals only say that the revert is under way.
 */
export function interruptOnSignals(onFirst: string, onRepeat = 'still reverting; faultmesh exits when the revert is done'): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    process.stderr.write(`\n${name}: ${controller.signal.aborted ? onRepeat : onFirst}\n`);
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
