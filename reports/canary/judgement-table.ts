import { escapeHtml as e } from '../escape.js';
import type { JudgementRows } from './canary-model.js';

/**
 * The judgements table for HTML, laid out to fit a 980 px page: the
 * judgement's own four cells stacked in one, the interval under its
 * difference, the test's name under its p-value, and each check's reason
 * on a full-width line under its numbers. Fourteen side-by-side columns
 * made it 1332 px wide with rows a dozen lines tall.
 */
export const JUDGEMENT_TABLE_HEAD = ['judgement', 'check', 'result', 'stable', 'canary', 'difference (CI)', 'p-value', 'samples', 'threshold'];

export const JUDGEMENT_TABLE_CSS = `
table.judgements td.reason { color: #374151; background: #fafafa; font-size: 0.82rem; border-top: none; }
table.judgements .sub { display: block; color: var(--muted); font-size: 0.8rem; }
table.judgements td.own { min-width: 8.5rem; } table.judgements th { white-space: normal; }
`;

const NONE = '—';
/** "p=0.21 (Fisher's exact, one-sided)" → the value, then the test in smaller type under it. */
function withSub(main: string, sub: string): string {
  return `${e(main)}${sub && sub !== NONE ? `<span class="sub">${e(sub)}</span>` : ''}`;
}
function splitParen(text: string): [string, string] {
  const at = text.indexOf(' (');
  return at > 0 && text.endsWith(')') ? [text.slice(0, at), text.slice(at + 2, -1)] : [text, ''];
}

function judgementBody(g: JudgementRows): string {
  const [when, step, weight, outcome] = g.cells;
  const own = `<td class="own ${e(g.outcome)}" rowspan="${g.checks.length * 2}"><span class="when">${e(when ?? NONE)}</span><span class="sub">step ${e(step ?? NONE)} at ${e(weight ?? NONE)}</span>${e(outcome ?? NONE)}</td>`;
  const rows = g.checks.flatMap((c, i) => {
    const [check, result, stable, canary, difference, ci, p, samples, threshold, reason] = c.map((cell) => cell ?? NONE);
    const numbers = [e(check!), e(result!), e(stable!), e(canary!), withSub(difference!, ci!), withSub(...splitParen(p!)), e(samples!), e(threshold!)];
    const cells = numbers.map((html, k) => `<td${k === 1 ? ` class="${e(result!)}"` : ''}>${html}</td>`).join('');
    return [`<tr>${i === 0 ? own : ''}${cells}</tr>`, `<tr><td class="reason" colspan="${numbers.length}">${e(reason!)}</td></tr>`];
  });
  return `<tbody class="judgement">${rows.join('')}</tbody>`;
}

/** The whole table; every value is escaped. */
export function judgementTable(judgements: readonly JudgementRows[]): string {
  const head = `<thead><tr>${JUDGEMENT_TABLE_HEAD.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>`;
  return `<div class="table"><table class="judgements">${head}${judgements.map(judgementBody).join('')}</table></div>`;
}
