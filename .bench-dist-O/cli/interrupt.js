/**
 * Ctrl-C and SIGTERM become an abort signal, so what runs can revert before
 * the process exits; further signals only say that the revert is under way.
 */
export function interruptOnSignals(onFirst, onRepeat = 'still reverting; faultmesh exits when the revert is done') {
    const controller = new AbortController();
    const onSignal = (name) => {
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
//# sourceMappingURL=interrupt.js.map