/** Frees an upstream response we will not send on: drained, so its keep-alive socket is reused. */
export function discard(outcome) {
    if (outcome.kind === 'response')
        outcome.response.body.resume();
}
//# sourceMappingURL=outcome.js.map