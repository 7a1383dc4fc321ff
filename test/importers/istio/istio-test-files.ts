import { after } from 'node:test';
import type { SourceIssue } from '../../../proxy/config/config-error.js';
import { importIstio, type ImportOptions, type ImportResult } from '../../../importers/istio/import-istio.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());
let count = 0;

/** Writes `yaml` to a file of its own and imports it. */
export function translate(yaml: string, options: ImportOptions = {}): ImportResult & { file: string } {
  const file = dir.file(`istio-${++count}.yaml`, yaml);
  return { file, ...importIstio([file], options) };
}

/** Writes several files and imports them together, in this order. */
export function translateAll(texts: readonly string[], options: ImportOptions = {}): ImportResult & { files: string[] } {
  const files = texts.map((t) => dir.file(`istio-${++count}.yaml`, t));
  return { files, ...importIstio(files, options) };
}

/** An issue as tests compare it: `line field: message`. */
export const at = (i: SourceIssue) => `${i.line} ${i.field}: ${i.message}`;

/** Each kind of finding as `line field: message` lines. */
export const lines = (r: ImportResult) => ({ invalid: r.issues.invalid.map(at), untranslated: r.issues.untranslated.map(at), caveat: r.issues.caveat.map(at) });

/**
 * A VirtualService for `ratings` whose `http:` list is `http` (indented as
 * list items under it). Its `http:` key is on line 7, so the first route
 * starts on line 8.
 */
export const vs = (http: string, name = 'ratings') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
spec:
  hosts: [ratings]
  http:
${http}`;

/** A DestinationRule for `host`, with more of its spec (indented under spec:) from line 7 on. */
export const dr = (host: string, spec: string, name = host) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${name}
spec:
  host: ${host}
${spec}`;
