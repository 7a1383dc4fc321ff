import jStat from 'jstat';
/**
 * The standard normal's critical value for a two-sided interval at
 * `confidence`: 1.959964 for 0.95.
 *
 * @example twoSidedZ(0.95) // 1.959963984540054
 */
export function twoSidedZ(confidence) {
    if (!(confidence > 0 && confidence < 1))
        throw new RangeError(`confidence must be between 0 and 1 (exclusive), got ${confidence}`);
    return jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
}
/** P(Z > z) for a standard normal Z. */
export const upperTail = (z) => jStat.normal.cdf(-z, 0, 1);
//# sourceMappingURL=normal.js.map