// How numbers read on the page: short, with units, the same in every panel.

/** `1 m 05 s`, `12 s`, `ended`. */
export function countdown(ms) {
  if (!(ms > 0)) return 'ended';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

export function rate(rps) {
  if (rps === null || rps === undefined) return '–';
  return rps >= 100 ? `${Math.round(rps)}/s` : `${rps.toFixed(rps >= 10 ? 1 : 2)}/s`;
}

export function percent(ratio) {
  if (ratio === null || ratio === undefined) return '–';
  const p = ratio * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function millis(ms) {
  if (ms === null || ms === undefined) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** How an edge looks, from its error ratio: one scale for the map and the table. */
export function edgeHealth(edge) {
  if (!edge || edge.errorRatio === null || edge.requests === 0) return 'idle';
  if (edge.errorRatio >= 0.05) return 'bad';
  if (edge.errorRatio >= 0.01) return 'warn';
  return 'ok';
}

/** The server's clock, as the newest state said it, moved on by the page's own: lease countdowns stay right when the two clocks differ. */
let offset = 0;
export const syncClock = (serverNow) => (offset = serverNow - Date.now());
export const serverNow = () => Date.now() + offset;
