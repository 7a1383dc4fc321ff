import { existsSync } from 'node:fs';

/**
 * The Chromium the report checks drive: FAULTMESH_CHROMIUM, else Debian's
 * (`apt-get install chromium`, which .ci/run does). playwright-core cannot
 * download a browser here, so none found means the check cannot run.
 */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.FAULTMESH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

export const NO_BROWSER = 'no Chromium executable found (looked at FAULTMESH_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser): install Debian\'s chromium, as .ci/run does, to check reports in a real browser';

/**
 * What a report page gets wrong for a reader, measured by the browser
 * itself; run inside the page. Empty when it is legible: chart text at 11
 * px or more once scaled, no chart text outside its picture or over other
 * text (legends, fault-window and ejection labels included), no sideways
 * scrolling of the page, tables that fit or scroll in their own box, and
 * dates on at most two lines.
 */
export function legibilityProblems(): string[] {
  const problems: string[] = [];
  const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) problems.push(`the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
  for (const svg of document.querySelectorAll<SVGSVGElement>('svg.chart')) {
    const chart = svg.getAttribute('aria-label');
    const box = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM()!.a;
    const texts = [...svg.querySelectorAll('text')];
    const rects = texts.map((t) => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < 11) problems.push(`${chart}: "${t.textContent}" is ${px.toFixed(1)}px`);
      const r = rects[i]!;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) problems.push(`${chart}: "${t.textContent}" reaches outside the chart`);
      for (let k = 0; k < i; k++) if (overlap(r, rects[k]!)) problems.push(`${chart}: "${t.textContent}" overlaps "${texts[k]!.textContent}"`);
    });
    const legend = [...svg.querySelectorAll('g.legend-item')].map((g) => g.getBoundingClientRect());
    legend.forEach((r, i) => legend.slice(0, i).forEach((o) => overlap(r, o) && problems.push(`${chart}: legend entries overlap`)));
  }
  for (const table of document.querySelectorAll('table')) {
    const holder = table.parentElement!;
    const r = holder.getBoundingClientRect();
    if (r.right > window.innerWidth + 0.5) problems.push(`a table's box ends at ${r.right}px, past the window`);
    if (table.scrollWidth > holder.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(holder).overflowX)) problems.push('a table wider than its box does not scroll in it');
  }
  for (const el of document.querySelectorAll<HTMLElement>('td, th, .when')) {
    if (!/\d{4}-\d\d-\d\d \d\d:\d\d/.test(el.textContent ?? '')) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 2) problems.push(`"${el.textContent}" wraps over ${lines.size} lines`);
  }
  return problems;
}
