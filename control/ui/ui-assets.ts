import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Response } from 'express';
import { AdminError } from '../../proxy/admin/admin-error.js';

/**
 * No inline script or style, no other origin: the page's code is the files
 * below, and it talks only to the listener that served it. uPlot sets
 * styles through the CSSOM (element.style), which style-src does not
 * govern, so it runs under this policy unchanged.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function setSecurityHeaders(res: Response): void {
  res.set({
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * The page's files: plain ES modules and CSS, no build step. From the
 * sources they sit beside this module; from dist/ (which tsc fills with
 * compiled TypeScript only) they are read from the package's
 * control/ui/assets. uPlot comes from its own package.
 */
function assetDir(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'assets'), join(here, '..', '..', '..', 'control', 'ui', 'assets')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

const require = createRequire(import.meta.url);
const vendor = (file: string) => () => require.resolve(`uplot/dist/${file}`);

const PAGE_FILES = ['index.html', 'app.js', 'dom.js', 'format.js', 'map.js', 'panels.js', 'charts.js', 'dashboard.css'];

/** Every file the page may load, by the name in its URL: nothing else under /ui/assets is served. */
function fileTable(): Map<string, () => string> {
  const dir = assetDir();
  const table = new Map<string, () => string>();
  for (const name of PAGE_FILES) {
    table.set(name, () => {
      if (!dir) throw new AdminError('NOT_FOUND', 404, 'the dashboard\u2019s files (control/ui/assets) are not installed beside this faultmesh');
      return join(dir, name);
    });
  }
  table.set('uPlot.iife.min.js', vendor('uPlot.iife.min.js'));
  table.set('uPlot.min.css', vendor('uPlot.min.css'));
  return table;
}

/**
 * GET /ui (the page) and GET /ui/assets/NAME, each file read once and kept:
 * they are small, and the admin listener should not touch the disk per request.
 */
export function uiAssets(): Router {
  const files = fileTable();
  const cache = new Map<string, Buffer>();
  const read = (name: string): Buffer => {
    let body = cache.get(name);
    if (!body) cache.set(name, (body = readFileSync(files.get(name)!())));
    return body;
  };
  const send = (res: Response, name: string) => {
    const body = read(name);
    setSecurityHeaders(res);
    res.set({ 'content-type': TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream', 'cache-control': name === 'index.html' ? 'no-store' : 'no-cache' });
    res.send(body);
  };
  const router = Router();
  router.get('/ui', (_req, res) => send(res, 'index.html'));
  router.get('/ui/', (_req, res) => res.redirect(301, '/ui'));
  router.get('/ui/assets/:name', (req, res) => {
    if (!files.has(req.params.name) || req.params.name === 'index.html') throw new AdminError('NOT_FOUND', 404, `no dashboard file ${req.params.name}`);
    send(res, req.params.name);
  });
  return router;
}
