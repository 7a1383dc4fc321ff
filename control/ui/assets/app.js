// The dashboard: one EventSource on /ui/events (`state` and `metrics`
// events), the panels drawn from them, and the three actions (halt,
// resume, remove a fault). The token lives only in the password field's
// value, in this page's memory: never in a URL, a cookie or storage, and
// it is sent only in the Authorization header of those POSTs and DELETEs.

import { text } from './dom.js';
import { drawCharts, resetCharts, watchChartSizes } from './charts.js';
import { syncClock } from './format.js';
import { drawMap } from './map.js';
import { renderEdges, renderFaults, renderInstances, renderList, renderProxies, renderRuns, tickCountdowns } from './panels.js';

const $ = (id) => document.getElementById(id);
let state;
let metrics;

function say(message, kind = 'info') {
  const el = $('message');
  el.className = `message message-${kind}`;
  text(el, message);
}

/** One state change through the API, with the token when one was typed; the answer is shown either way. */
async function change(method, path, done) {
  const token = $('token').value.trim();
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  try {
    const r = await fetch(path, { method, headers, credentials: 'omit', cache: 'no-store' });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) {
      // The API's refusal speaks to API clients (an Authorization header); on the page, the way in is the Token field.
      if (r.status === 401) {
        const scope = state?.scope === 'proxy' ? "this proxy's admin token" : "the control plane's token";
        say(`Refused: ${token ? 'that token is not the right one' : 'this needs a token'}. Type ${scope} in the Token field, then try again.`, 'error');
        $('token-box').hidden = false;
        $('token').focus();
        return;
      }
      say(`${method} ${path} refused: ${body.code ?? r.status}${body.message ? `: ${body.message}` : ''}`, 'error');
      return;
    }
    say(done(body), 'ok');
  } catch (err) {
    say(`${method} ${path} failed: ${err.message}`, 'error');
  }
}

function halt() {
  const what = state?.scope === 'proxy' ? 'this proxy' : 'every proxy of the mesh';
  if (!window.confirm(`Halt ${what}? Every fault is removed at once, and none is accepted until you resume.`)) return;
  void change('POST', '/v1/halt', (b) => `Halted: ${b.removed ?? 0} fault${b.removed === 1 ? '' : 's'} removed.`);
}

function resume() {
  if (!window.confirm('Resume fault injection? Faults can be added again; none comes back by itself.')) return;
  void change('POST', '/v1/resume', () => 'Resumed: faults can be added again.');
}

function removeFault(id) {
  if (!window.confirm(`Remove fault ${id}?`)) return;
  void change('DELETE', `/v1/faults/${encodeURIComponent(id)}`, () => `Removed fault ${id}.`);
}

function renderState() {
  syncClock(state.now);
  document.body.dataset.scope = state.scope;
  text($('title'), state.title);
  document.title = `${state.halted ? 'HALTED · ' : ''}faultmesh · ${state.title}`;
  text($('summary'), state.summary);
  $('summary').classList.toggle('flagged', state.discrepancies.length > 0);
  renderList($('discrepancies'), state.discrepancies);
  const halted = $('halted');
  halted.hidden = !state.halted;
  text(halted, state.halted ? `Halted${state.haltedBy ? ` by ${state.haltedBy}` : ''}: no fault runs until resume.` : '');
  text($('halt'), state.scope === 'proxy' ? 'Halt this proxy' : 'Halt every proxy');
  $('resume').hidden = !state.halted;
  $('token-box').hidden = !state.tokenRequired;
  renderFaults(state, removeFault);
  renderRuns(state);
  renderProxies(state);
  renderInstances(state);
  $('runs-panel').hidden = state.scope === 'proxy';
  renderList($('notes'), [...state.notes, ...(state.actions.managedBy ? [`faults here are managed by the control plane at ${state.actions.managedBy}: remove them there (its /ui)`] : []), ...(metrics?.errors ?? []).map((e) => `metrics not read from ${e}`)]);
  drawMapNow();
}

/** Across the page when it is wide, down it when narrow (a phone). */
function drawMapNow() {
  const narrow = $('map').parentElement.clientWidth < 640;
  text($('map-note'), drawMap($('map'), state, metrics, narrow));
}

function renderMetrics() {
  renderEdges(metrics);
  if (state) drawMapNow();
  drawCharts(metrics);
}

function connect() {
  const live = $('live');
  const source = new EventSource('/ui/events');
  source.addEventListener('open', () => {
    text(live, 'live');
    live.className = 'pill pill-live';
  });
  source.addEventListener('error', () => {
    // EventSource tries again by itself (after the stream's retry: 1 s).
    text(live, 'reconnecting…');
    live.className = 'pill pill-down';
  });
  source.addEventListener('state', (e) => {
    state = JSON.parse(e.data);
    renderState();
  });
  source.addEventListener('metrics', (e) => {
    metrics = JSON.parse(e.data);
    renderMetrics();
  });
  source.addEventListener('trouble', (e) => say(JSON.parse(e.data).message, 'error'));
}

const THEMES = ['auto', 'dark', 'light'];
function cycleTheme() {
  const root = document.documentElement;
  const next = THEMES[(THEMES.indexOf(root.dataset.theme ?? 'auto') + 1) % THEMES.length];
  if (next === 'auto') delete root.dataset.theme;
  else root.dataset.theme = next;
  $('theme').setAttribute('aria-label', `Colour scheme: ${next === 'auto' ? 'follows the system' : next}`);
  resetCharts();
  if (metrics) drawCharts(metrics);
}

$('halt').addEventListener('click', halt);
$('resume').addEventListener('click', resume);
$('theme').addEventListener('click', cycleTheme);
watchChartSizes();
setInterval(tickCountdowns, 1000);
connect();
