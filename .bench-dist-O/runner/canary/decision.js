/** The one sentence at the top of the journal, the console and the report. */
const checks = (n) => (n === 0 ? '' : `, ${n} failed check${n === 1 ? '' : 's'}`);
export const rolledBackSentence = (weight, reason, failed) => `Rolled back at ${weight}%: ${reason}${checks(failed)}.`;
export const abortedSentence = (weight, why) => `Aborted at ${weight}% (${why}): traffic returned to stable.`;
export function promotedSentence(steps, judgements, how) {
    const passed = judgements.filter((j) => j.outcome === 'pass').length;
    const last = judgements.filter((j) => j.outcome === 'pass').at(-1);
    return `Promoted: every step up to ${steps.at(-1)}% passed (${passed} passing judgement${passed === 1 ? '' : 's'}${last ? `; last: ${last.reason}` : ''}); ${how}.`;
}
export const notPermanentSentence = (why) => `Promoted, but not made permanent (${why}): traffic is back on the mesh's weights.`;
//# sourceMappingURL=decision.js.map