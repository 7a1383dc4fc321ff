/** One sample of Prometheus' text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

const BRACE = 123;
const SPACE = 32;
const TAB = 9;

/** The metric name of the line starting at `at`: everything up to its labels or its value. */
function nameAt(text: string, at: number, end: number): string {
  let i = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === BRACE || c === SPACE || c === TAB) break;
  }
  return text.slice(at, i);
}

/**
 * Parses the text format the proxies' /metrics serve. Only the families in
 * `wanted` are kept, and a line's name is checked before the line is cut
 * out and parsed, so a scrape of a busy proxy (mostly families nobody asked
 * for) stays cheap to read: the /ui dashboard reads every proxy every 2 s.
 *
 * @example parsePromText('faultmesh_requests_total{code="503"} 4\nup 1', new Set(['faultmesh_requests_total'])) // [{ name: 'faultmesh_requests_total', labels: { code: '503' }, value: 4 }]
 */
export function parsePromText(text: string, wanted: ReadonlySet<string>): Sample[] {
  const out: Sample[] = [];
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const name = nameAt(text, at, end);
    const line = wanted.has(name) ? text.slice(at, end) : undefined;
    at = end + 1;
    const m = line === undefined ? null : LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[2]) {
      LABEL.lastIndex = 0;
      let l: RegExpExecArray | null;
      while ((l = LABEL.exec(m[2]))) labels[l[1]!] = l[2]!.includes('\\') ? unescape(l[2]!) : l[2]!;
    }
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** A histogram bucket's `le` label as a number: `+Inf` is Infinity; NaN when missing or not a number. */
export const leBound = (le: string | undefined): number => (le === '+Inf' ? Infinity : le ? Number(le) : NaN);
