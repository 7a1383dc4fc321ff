import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Requires `Authorization: Bearer TOKEN` on every request that changes state
 * (anything but GET and HEAD) when a token is configured. Compares digests in
 * constant time, so neither the token nor its length leaks through timing.
 */
export function requireToken(token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : undefined;
  return (req, res, next) => {
    if (!expected || req.method === 'GET' || req.method === 'HEAD') return next();
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (given && timingSafeEqual(digest(given), expected)) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ code: 'UNAUTHORIZED', message: 'this admin request changes state: send Authorization: Bearer <admin token>' });
  };
}
