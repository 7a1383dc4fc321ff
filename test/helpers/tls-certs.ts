import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** True when the openssl command is there (tests that need certificates skip without it). */
export const opensslInstalled = (): boolean => spawnSync('openssl', ['version']).status === 0;

export interface TestCertificates {
  /** The CA's certificate (PEM). */
  readonly ca: string;
  /** A server certificate for 127.0.0.1, signed by the CA, and its unencrypted private key. */
  readonly cert: string;
  readonly key: string;
}

/** A throwaway CA and a server certificate for IP 127.0.0.1, made with openssl in `dir` (valid two days). */
export function makeCertificates(dir: string): TestCertificates {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(at('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('req', '-x509', ...ec, '-keyout', at('ca-key.pem'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=faultmesh test CA');
  openssl('req', ...ec, '-keyout', at('server-key.pem'), '-out', at('server.csr'), '-subj', '/CN=etcd');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('san.cnf'));
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server-key.pem') };
}
