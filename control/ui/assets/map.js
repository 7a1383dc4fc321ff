// The mesh map: services as boxes, calls as arrows labelled with the last
// minute's rate, error ratio and p99, coloured by health. Laid out in
// columns by call depth (callers left of what they call), so a shop of 4
// services and a mesh of 30 both read left to right. Redrawn whole: it
// holds nothing focusable; the same numbers are in the calls table.

import { fill, s } from './dom.js';
import { edgeHealth, millis, percent, rate } from './format.js';

const W = 168;
const H = 50;
const COL_GAP = 180;
const ROW_GAP = 26;
/** Narrow (depth down the page): boxes side by side, and room between rows for the labels. */
const W_NARROW = 150;
/** Past this many calls, only the troubled ones carry a label. */
const DENSE_EDGES = 20;
const SPREAD_GAP = 16;
const ROW_GAP_DOWN = 84;
const PAD = 16;

/**
 * Column of each node: the longest chain of calls leading to it, so that
 * every arrow points right. Calls that close a cycle (found by a depth-first
 * walk) are left out of the layering; they are still drawn.
 */
function columns(names, edges, hasInstances) {
  const callees = new Map(names.map((n) => [n, new Set()]));
  for (const e of edges) if (e.source !== e.destination) callees.get(e.source).add(e.destination);
  const back = new Set();
  const state = new Map();
  const walk = (n) => {
    state.set(n, 'open');
    for (const next of callees.get(n)) {
      if (state.get(next) === 'open') back.add(`${n}\u0000${next}`);
      else if (!state.has(next)) walk(next);
    }
    state.set(n, 'done');
  };
  for (const n of names) if (!state.has(n)) walk(n);
  const depth = new Map(names.map((n) => [n, 0]));
  // Longest path over what is left, a DAG: at most one pass per node.
  for (let pass = 0; pass < names.length; pass++) {
    let moved = false;
    for (const [from, tos] of callees) {
      for (const to of tos) {
        if (back.has(`${from}\u0000${to}`) || depth.get(to) > depth.get(from)) continue;
        depth.set(to, depth.get(from) + 1);
        moved = true;
      }
    }
    if (!moved) break;
  }
  // A service no call has reached yet is a callee to be, not a caller: it waits in the second column, beside the services callers call.
  const linked = new Set(edges.flatMap((e) => [e.source, e.destination]));
  if (edges.length) for (const n of names) if (!linked.has(n) && hasInstances(n)) depth.set(n, Math.max(1, depth.get(n)));
  return depth;
}

/** The point of a call's cubic curve where its `axis` coordinate is `target` (sampled: the curve is monotonic along it). */
function curveAt(target, axis, p0, c1, c2, p3) {
  let best = p0;
  let gap = Infinity;
  for (let i = 0; i <= 40; i++) {
    const t = i / 40;
    const u = 1 - t;
    const at = (k) => u * u * u * p0[k] + 3 * u * u * t * c1[k] + 3 * u * t * t * c2[k] + t * t * t * p3[k];
    const p = { x: at('x'), y: at('y') };
    if (Math.abs(p[axis] - target) < gap) {
      gap = Math.abs(p[axis] - target);
      best = p;
    }
  }
  return best;
}

const WORST = { unknown: 0, healthy: 1, probation: 2, ejected: 3 };

function nodeState(service) {
  if (!service || service.instances.length === 0) return { cls: 'node-plain', line: service ? 'no instance' : 'caller' };
  const counts = { healthy: 0, ejected: 0, probation: 0, unknown: 0 };
  let worst = 'unknown';
  for (const i of service.instances) {
    counts[i.health]++;
    if (WORST[i.health] > WORST[worst]) worst = i.health;
  }
  const n = service.instances.length;
  const parts = [`${n} instance${n === 1 ? '' : 's'}`];
  if (counts.ejected && counts.probation) parts[0] = `${n} inst.`;
  if (counts.ejected) parts.push(`${counts.ejected} ejected`);
  if (counts.probation) parts.push(`${counts.probation} probation`);
  const cls = worst === 'ejected' ? (counts.ejected === n ? 'node-bad' : 'node-warn') : worst === 'probation' ? 'node-warn' : 'node-ok';
  return { cls, line: parts.join(' · ') };
}

/** Draws `svg` from the newest state and metrics; returns a sentence for the map's caption. */
export function drawMap(svg, state, metrics, vertical = false) {
  const edges = metrics?.edges ?? [];
  const services = new Map((state?.services ?? []).map((x) => [x.name, x]));
  const names = [...new Set([...services.keys(), ...edges.flatMap((e) => [e.source, e.destination])])].sort();
  const faulted = new Map();
  for (const f of state?.faults ?? []) {
    const targets = f.target === '*' ? names : [f.target];
    for (const t of targets) faulted.set(t, (faulted.get(t) ?? 0) + 1);
  }
  const depth = columns(names, edges, (n) => (services.get(n)?.instances.length ?? 0) > 0);
  const byColumn = new Map();
  for (const n of names) byColumn.set(depth.get(n), [...(byColumn.get(depth.get(n)) ?? []), n]);
  // Each column ordered by where its callers sit (the barycentre), so fewer arrows cross.
  const row = new Map();
  for (const col of [...byColumn.keys()].sort((a, b) => a - b)) {
    const list = byColumn.get(col);
    const weight = (n) => {
      const from = edges.filter((e) => e.destination === n && row.has(e.source)).map((e) => row.get(e.source));
      return from.length ? from.reduce((a, b) => a + b, 0) / from.length : Infinity;
    };
    list.sort((a, b) => weight(a) - weight(b) || a.localeCompare(b));
    list.forEach((n, i) => row.set(n, i));
  }
  const cols = Math.max(1, byColumn.size ? Math.max(...byColumn.keys()) + 1 : 1);
  const rows = Math.max(1, ...[...byColumn.values()].map((c) => c.length));
  // Narrow screens: depth runs down the page instead of across it, so a phone needs no sideways scroll for a small mesh.
  const w = vertical ? W_NARROW : W;
  const step = vertical ? H + ROW_GAP_DOWN : w + COL_GAP;
  const spread = vertical ? w + SPREAD_GAP : H + ROW_GAP;
  const width = vertical ? PAD * 2 + rows * spread - SPREAD_GAP : PAD * 2 + cols * step - COL_GAP;
  const height = vertical ? PAD * 2 + cols * step - ROW_GAP_DOWN : PAD * 2 + rows * spread - ROW_GAP;
  const at = new Map();
  for (const [col, list] of byColumn) {
    // Each column (row, when narrow) centred on the fullest one.
    const offset = ((rows - list.length) * spread) / 2;
    list.forEach((n, i) => at.set(n, vertical ? { x: PAD + offset + i * spread, y: PAD + col * step } : { x: PAD + col * step, y: PAD + offset + i * spread }));
  }
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const defs = s('defs', {}, ...['ok', 'warn', 'bad', 'idle'].map((k) => s('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse', class: `arrow arrow-${k}` }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))));
  const edgeLayer = s('g', { class: 'edges' });
  const labelLayer = s('g', { class: 'edge-labels' });
  const labels = [];
  const dense = edges.length > DENSE_EDGES;
  for (const e of edges) {
    const a = at.get(e.source);
    const b = at.get(e.destination);
    if (!a || !b) continue;
    const health = edgeHealth(e);
    // An edge one scrape has seen exists, but has no rate until the next one.
    const label = e.rps === null ? 'measuring…' : `${rate(e.rps)} · ${percent(e.errorRatio)} · ${millis(e.p99Ms)}`;
    const lw = label.length * 6.4 + 10;
    let d;
    let l;
    if (e.source === e.destination) {
      d = `M ${a.x + w - 20} ${a.y} C ${a.x + w + 30} ${a.y - 40}, ${a.x + w + 30} ${a.y + H + 40}, ${a.x + w - 20} ${a.y + H}`;
      l = { x: a.x + w, y: a.y - 12 };
    } else {
      // From the caller's far side to the callee's near one; the label sits in the gap just before the callee, off the boxes a long call passes.
      const p0 = vertical ? { x: a.x + w / 2, y: a.y + H } : { x: a.x + w, y: a.y + H / 2 };
      const p3 = vertical ? { x: b.x + w / 2, y: b.y } : { x: b.x, y: b.y + H / 2 };
      const bend = Math.max(40, Math.abs(vertical ? p3.y - p0.y : p3.x - p0.x) / 2);
      const c1 = vertical ? { x: p0.x, y: p0.y + bend } : { x: p0.x + bend, y: p0.y };
      const c2 = vertical ? { x: p3.x, y: p3.y - bend } : { x: p3.x - bend, y: p3.y };
      const end = vertical ? { x: p3.x, y: p3.y - 2 } : { x: p3.x - 2, y: p3.y };
      d = `M ${p0.x} ${p0.y} C ${c1.x} ${c1.y}, ${c2.x} ${c2.y}, ${end.x} ${end.y}`;
      const axis = vertical ? 'y' : 'x';
      const gap = vertical ? ROW_GAP_DOWN : COL_GAP;
      const target = Math.max((p0[axis] + p3[axis]) / 2, p3[axis] - gap / 2);
      l = curveAt(target, axis, p0, c1, c2, p3);
    }
    edgeLayer.append(s('path', { d, class: `edge edge-${health}`, 'marker-end': `url(#arrow-${health})` }, s('title', {}, `${e.source} → ${e.destination}: ${rate(e.rps)}, ${percent(e.errorRatio)} errors, p99 ${millis(e.p99Ms)}`)));
    // A dense map labels only the calls in trouble; every call is in the table below it, and in its tooltip.
    if (!dense || health === 'warn' || health === 'bad') labels.push({ ...l, w: lw, label, health });
  }
  // Labels of calls that meet are moved apart downwards, so every number stays readable.
  labels.sort((p, q) => p.y - q.y || p.x - q.x);
  labels.forEach((lab, i) => {
    for (const o of labels.slice(0, i)) if (Math.abs(o.x - lab.x) < (o.w + lab.w) / 2 && Math.abs(o.y - lab.y) < 18) lab.y = o.y + 18;
    labelLayer.append(s('g', { class: `edge-label edge-label-${lab.health}` }, s('rect', { x: lab.x - lab.w / 2, y: lab.y - 9, width: lab.w, height: 16, rx: 3 }), s('text', { x: lab.x, y: lab.y + 3, 'text-anchor': 'middle' }, lab.label)));
  });
  const nodeLayer = s('g', { class: 'nodes' });
  for (const n of names) {
    const p = at.get(n);
    const st = nodeState(services.get(n));
    const faults = faulted.get(n) ?? 0;
    const g = s('g', { class: `node ${st.cls}${faults ? ' node-faulted' : ''}`, transform: `translate(${p.x} ${p.y})` }, s('title', {}, `${n}: ${st.line}${faults ? `, ${faults} fault${faults === 1 ? '' : 's'} aimed at it` : ''}`), s('rect', { width: w, height: H, rx: 8 }), s('text', { x: 10, y: 20, class: 'node-name' }, n.length > (vertical ? 19 : 22) ? `${n.slice(0, vertical ? 18 : 21)}…` : n), s('text', { x: 10, y: 38, class: 'node-line' }, st.line));
    if (faults) g.append(s('g', { class: 'fault-badge', transform: `translate(${w - 30} 6)` }, s('rect', { width: 24, height: 16, rx: 8 }), s('text', { x: 12, y: 12, 'text-anchor': 'middle' }, `⚡${faults}`)));
    nodeLayer.append(g);
  }
  fill(svg, defs, edgeLayer, nodeLayer, labelLayer);
  // A health line longer than its box (`5 instances · 2 ejected · 1 probation` in a narrow one) is squeezed to fit; its tooltip has it whole.
  for (const line of svg.querySelectorAll('.node-line')) {
    const room = w - 20;
    if (typeof line.getComputedTextLength === 'function' && line.getComputedTextLength() > room) {
      line.setAttribute('textLength', String(room));
      line.setAttribute('lengthAdjust', 'spacingAndGlyphs');
    }
  }
  const calls = edges.length;
  if (!metrics || metrics.measuring) return `${names.length} service${names.length === 1 ? '' : 's'}; measuring the calls (rates need two scrapes, a second apart)…`;
  const labelled = calls > DENSE_EDGES ? 'calls with errors labelled' : 'each labelled';
  return `${names.length} service${names.length === 1 ? '' : 's'}, ${calls} call${calls === 1 ? '' : 's'} with traffic; ${labelled} requests/s · 5xx ratio · p99, over the last minute`;
}
