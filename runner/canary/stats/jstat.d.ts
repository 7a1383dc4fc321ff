/**
 * The part of jStat 1.9.6 (no types of its own) that the canary statistics
 * use. Declared narrowly on purpose: anything else from the library must be
 * added here first, so what we rely on stays visible in one place.
 */
declare module 'jstat' {
  interface JStat {
    readonly normal: {
      /** P(X <= x) for X ~ N(mean, std²). */
      cdf(x: number, mean: number, std: number): number;
      /** The x with P(X <= x) = p. */
      inv(p: number, mean: number, std: number): number;
    };
    readonly binomial: {
      /** P(X <= x) for X ~ Binomial(n, p). */
      cdf(x: number, n: number, p: number): number;
    };
    readonly hypgeom: {
      /** P(X <= x) for X ~ Hypergeometric(population N, successes m, drawn n). */
      cdf(x: number, N: number, m: number, n: number): number;
      /** P(X = k), same parameters. */
      pdf(k: number, N: number, m: number, n: number): number;
    };
  }
  const jStat: JStat;
  export = jStat;
}
