/**
 * The one module that loads @peculiar/x509. The library needs the
 * reflect-metadata polyfill loaded before it, and a WebCrypto provider set
 * once; doing both here means no other module can get the order wrong.
 *
 * Load this (and every module importing it) with `await import()` only when
 * TLS is configured: the library and its ASN.1 stack cost a plain-HTTP
 * sidecar idle memory it must not spend (#16). Parsing and verifying on the
 * hot path uses node:crypto's X509Certificate instead (see peer.ts).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
// Node's webcrypto is the standard Crypto interface; the cast only bridges lib.dom's and @types/node's declarations.
x509.cryptoProvider.set(webcrypto);
export { x509, webcrypto };
/** Key generation and import parameters: ECDSA on P-256, the mesh's only key type. */
export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };
/** Signatures: ECDSA with SHA-256. */
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' };
//# sourceMappingURL=x509.js.map