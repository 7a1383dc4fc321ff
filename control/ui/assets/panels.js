// The tables and lists of the page. Each is kept in step with the newest
// state by key (syncChildren), so a button keeps its focus while the
// numbers around it change.

import { h, syncChildren, text } from './dom.js';
import { countdown, edgeHealth, millis, percent, rate, serverNow } from './format.js';

const $ = (id) => document.getElementById(id);

/** A cell counting down to `endsAt` (server clock); `tickCountdowns` moves them every second. */
function countdownCell(el, endsAt, prefix = '') {
  el.dataset.endsAt = String(endsAt ?? '');
  el.dataset.prefix = prefix;
  text(el, endsAt ? `${prefix}${countdown(endsAt - serverNow())}` : '');
}

export function tickCountdowns() {
  for (const el of document.querySelectorAll('[data-ends-at]')) {
    const endsAt = Number(el.dataset.endsAt);
    if (endsAt) text(el, `${el.dataset.prefix ?? ''}${countdown(endsAt - serverNow())}`);
  }
}

function holderText(holder) {
  if (holder.kind === 'ttl') return 'its own ttl';
  if (holder.kind === 'run') return `${holder.runKind} ${holder.run}`;
  return `a run's lease ${holder.lease}`;
}

/** Faults in force; `remove(id)` is offered only where this page may remove one. */
export function renderFaults(state, remove) {
  const rows = $('fault-rows');
  $('faults-empty').hidden = state.faults.length > 0;
  text($('faults-count'), state.faults.length);
  syncChildren(
    rows,
    state.faults,
    (f) => f.id,
    (f) => {
      const button = h('button', { type: 'button', class: 'small-button', 'aria-label': `Remove fault ${f.id}`, onclick: () => remove(f.id) }, 'Remove');
      return h(
        'tr',
        {},
        h('td', {}, h('code', { class: 'f-id' }), h('div', { class: 'muted small f-origin' })),
        h('td', {}, h('strong', { class: 'f-target' }), h('div', { class: 'f-match' })),
        h('td', {}, h('span', { class: 'f-action' }), h('div', { class: 'muted small f-pct' })),
        h('td', {}, h('span', { class: 'f-on' }), h('div', { class: 'muted small f-missing' })),
        h('td', {}, h('span', { class: 'f-left' }), h('div', { class: 'muted small f-holder' })),
        h('td', { class: 'num' }, h('span', { class: 'f-counts' })),
        h('td', {}, button),
      );
    },
    (row, f) => {
      text(row.querySelector('.f-id'), f.id);
      text(row.querySelector('.f-origin'), f.origin ? `from ${f.origin}` : '');
      text(row.querySelector('.f-target'), f.target === '*' ? 'every service' : f.target);
      text(row.querySelector('.f-match'), f.match);
      text(row.querySelector('.f-action'), f.action);
      text(row.querySelector('.f-pct'), `${f.percentage}% of matches${f.phase === 'response' ? ', on the response' : ''}`);
      text(row.querySelector('.f-on'), `${f.proxies.length} prox${f.proxies.length === 1 ? 'y' : 'ies'}`);
      row.querySelector('.f-on').title = f.proxies.join(', ');
      text(row.querySelector('.f-missing'), f.missingOn.length ? `not yet on ${f.missingOn.join(', ')}` : f.proxies.join(', '));
      countdownCell(row.querySelector('.f-left'), f.endsAt);
      text(row.querySelector('.f-holder'), `held by ${holderText(f.holder)}`);
      text(row.querySelector('.f-counts'), `${f.counts.matched} / ${f.counts.hit}`);
      row.querySelector('button').hidden = !state.actions.removeFault;
    },
  );
}

const isWebLink = (url) => /^https?:\/\//i.test(url);

export function renderRuns(state) {
  const list = $('runs');
  $('runs-empty').hidden = state.runs.length > 0;
  syncChildren(
    list,
    state.runs,
    (r) => r.key,
    () => h('li', { class: 'run' }, h('div', { class: 'run-head' }, h('span', { class: 'badge r-kind' }), h('strong', { class: 'r-name' }), h('span', { class: 'muted r-phase' })), h('div', { class: 'r-verdict' }), h('div', { class: 'r-weights' }), h('div', { class: 'r-judgement muted' }), h('table', { class: 'probes' }, h('tbody', { class: 'r-probes' })), h('div', { class: 'small muted r-faults' }), h('div', { class: 'small r-report' })),
    (li, r) => {
      li.classList.toggle('finished', r.state === 'finished');
      text(li.querySelector('.r-kind'), r.kind === 'unregistered' ? 'run' : r.kind);
      text(li.querySelector('.r-name'), r.name);
      text(li.querySelector('.r-phase'), r.state === 'finished' ? `finished (${r.phase})` : r.phase);
      text(li.querySelector('.r-verdict'), r.verdict ?? '');
      text(li.querySelector('.r-weights'), r.weights ? `weights: ${r.weights}` : '');
      text(li.querySelector('.r-judgement'), r.judgement ?? '');
      text(li.querySelector('.r-faults'), r.faults.length ? `holds ${r.faults.join(', ')}` : r.known === 'override' ? 'known from its route override; register the run for its phase and judgement' : '');
      syncChildren(
        li.querySelector('.r-probes'),
        r.probes,
        (p) => `${p.when ?? ''}:${p.name}`,
        () => h('tr', {}, h('td', { class: 'p-name' }), h('td', { class: 'p-value num' }), h('td', { class: 'p-tol muted' }), h('td', { class: 'p-ok' })),
        (tr, p) => {
          text(tr.querySelector('.p-name'), p.when ? `${p.name} (${p.when})` : p.name);
          text(tr.querySelector('.p-value'), p.value);
          text(tr.querySelector('.p-tol'), p.tolerance ? `tolerance ${p.tolerance}` : '');
          text(tr.querySelector('.p-ok'), p.ok === null ? '…' : p.ok ? '✓ within' : '✗ outside');
          tr.className = p.ok === false ? 'bad' : p.ok ? 'ok' : '';
        },
      );
      const report = li.querySelector('.r-report');
      if (!r.report) report.replaceChildren();
      else if (isWebLink(r.report)) report.replaceChildren('report: ', h('a', { href: r.report, rel: 'noopener noreferrer', target: '_blank' }, r.report));
      else report.replaceChildren(`report: ${r.report}`);
    },
  );
}

export function renderProxies(state) {
  $('proxies-panel').hidden = state.proxies.length === 0;
  syncChildren(
    $('proxy-rows'),
    state.proxies,
    (p) => p.id,
    () => h('tr', {}, h('td', { class: 'x-id' }), h('td', { class: 'x-service' }), h('td', { class: 'x-place' }), h('td', { class: 'x-version num' }), h('td', { class: 'x-state' })),
    (tr, p) => {
      tr.className = p.problem ? 'flagged' : '';
      text(tr.querySelector('.x-id'), p.id);
      text(tr.querySelector('.x-service'), p.service);
      text(tr.querySelector('.x-place'), p.place || '–');
      text(tr.querySelector('.x-version'), state.version === undefined ? String(p.applied) : `${p.applied} of ${state.version}`);
      text(tr.querySelector('.x-state'), p.problem ?? (p.halted ? 'halted, in step' : 'in step'));
    },
  );
}

export function renderInstances(state) {
  syncChildren(
    $('instances'),
    state.services,
    (svc) => svc.name,
    () => h('div', { class: 'svc' }, h('h3', { class: 'svc-name' }), h('ul', { class: 'inst' })),
    (div, svc) => {
      text(div.querySelector('.svc-name'), svc.name);
      syncChildren(
        div.querySelector('.inst'),
        svc.instances,
        (i) => i.id,
        () => h('li', {}, h('span', { class: 'badge i-health' }), ' ', h('span', { class: 'i-id' }), ' ', h('span', { class: 'muted small i-place' }), ' ', h('span', { class: 'muted small i-left' })),
        (li, i) => {
          li.className = `health-${i.health}`;
          const left = i.health === 'ejected' && i.ejectedUntil ? i.ejectedUntil : undefined;
          text(li.querySelector('.i-health'), i.health === 'unknown' ? 'no report' : i.health);
          text(li.querySelector('.i-id'), i.id);
          text(li.querySelector('.i-place'), [i.region, i.zone].filter(Boolean).join(' / ') + (i.source === 'registration' ? ' · registered' : ''));
          const el = li.querySelector('.i-left');
          // An ejected instance counts down to its return; a registered one to its lease's end.
          if (left) countdownCell(el, left, 'back in ');
          else countdownCell(el, i.leaseEndsAt, 'lease ');
          el.title = i.unhealthyOn.length ? `as ${i.unhealthyOn.join(', ')} see it` : '';
        },
      );
    },
  );
}

export function renderEdges(metrics) {
  syncChildren(
    $('edges'),
    metrics.edges,
    (e) => `${e.source}→${e.destination}`,
    () => h('tr', {}, h('td', { class: 'e-from' }), h('td', { class: 'e-to' }), h('td', { class: 'num e-rps' }), h('td', { class: 'num e-err' }), h('td', { class: 'num e-p99' })),
    (tr, e) => {
      tr.className = `edge-row-${edgeHealth(e)}`;
      text(tr.querySelector('.e-from'), e.source);
      text(tr.querySelector('.e-to'), e.destination);
      text(tr.querySelector('.e-rps'), e.rps === null ? 'measuring…' : rate(e.rps));
      text(tr.querySelector('.e-err'), percent(e.errorRatio));
      text(tr.querySelector('.e-p99'), millis(e.p99Ms));
    },
  );
}

/** Short lists of sentences: discrepancies on top, notes at the bottom. */
export function renderList(el, items) {
  syncChildren(el, items, (x) => x, () => h('li'), (li, x) => text(li, x));
}
