/**
 * `faultmesh ca`: the mesh CA without a control plane. `init` creates a root
 * in a directory, `issue` writes one service's cert.pem/key.pem/ca.pem (what
 * `faultmesh proxy --cert/--key/--ca` reads), `show` prints certificates.
 * The CA modules load @peculiar/x509, so they are imported only when a
 * subcommand runs, never for `faultmesh --help`.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { CaError } from '../../control/ca/ca-error.js';
import { DEFAULT_LEAF_TTL_MS, MAX_LEAF_TTL_MS } from '../../control/ca/leaf-limits.js';
import { checkDuration, formatDuration } from '../../proxy/config/duration.js';
import { IdentityError } from '../../proxy/identity/identity-error.js';
import { subjectOf, validityOf } from '../../proxy/identity/chain.js';
import { spiffeIdOfSan } from '../../proxy/identity/peer.js';
import { pemBlocks } from '../../proxy/identity/pem.js';
import { checkServiceName, checkTrustDomain, DEFAULT_TRUST_DOMAIN } from '../../proxy/identity/spiffe.js';
import { UsageError } from '../exit.js';
import { caTokenCommand } from './ca-token.js';

/** The files `ca issue` writes, by the proxy flag that reads each. */
export const IDENTITY_FILES = { cert: 'cert.pem', key: 'key.pem', ca: 'ca.pem' } as const;

/** A CA or identity error is about the user's files or flags: one line, exit 2. Anything else is ours. */
async function asUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CaError || err instanceof IdentityError) throw new UsageError(err.message);
    throw err;
  }
}

/** A flag's value checked by `check`, its error naming the flag. */
function flag<T>(name: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw new UsageError(`--${name}: ${(err as Error).message}`);
  }
}

const out = (lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n`);

async function init(args: { dir: string; 'trust-domain': string }): Promise<void> {
  const trustDomain = flag('trust-domain', () => checkTrustDomain(args['trust-domain']));
  await asUsage(async () => {
    const { CertificateAuthority } = await import('../../control/ca/authority.js');
    const ca = await CertificateAuthority.init(args.dir, { trustDomain });
    out([
      `created a root CA in ${args.dir} for trust domain ${ca.trustDomain}:`,
      `  ${join(args.dir, 'ca.key')}    the CA's private key (0600): keep it here, never give it to a proxy`,
      `  ${join(args.dir, 'ca.crt')}    the signing certificate, ${ca.subject}, valid until ${ca.notAfter.toISOString()}`,
      `  ${join(args.dir, 'trust.pem')} the trust bundle proxies verify peers against`,
      `  ${join(args.dir, 'ca.json')}   its trust domain and creation time`,
      `next: faultmesh ca issue --ca-dir ${args.dir} --service NAME --out DIR`,
    ]);
  });
}

interface IssueArgs {
  readonly service: string;
  readonly out: string;
  readonly 'ca-dir': string;
  readonly ttl: string;
}

async function issue(args: IssueArgs): Promise<void> {
  // Flags first, before any file is read.
  const ttl = checkDuration(args.ttl, MAX_LEAF_TTL_MS);
  if (!ttl.ok) throw new UsageError(`--ttl: ${ttl.message}`);
  if (ttl.ms < 1000) throw new UsageError(`--ttl: ${args.ttl} is shorter than the 1s a certificate needs to be of use`);
  const service = flag('service', () => checkServiceName(args.service));
  await asUsage(async () => {
    if (existsSync(args.out) && !statSync(args.out).isDirectory()) throw new UsageError(`--out: ${args.out} is not a directory`);
    const { CertificateAuthority } = await import('../../control/ca/authority.js');
    const { writeFileAtomic } = await import('../../control/ca/atomic-write.js');
    const ca = await CertificateAuthority.load(args['ca-dir']);
    const id = await ca.issue({ service, ttlMs: ttl.ms });
    const files = { cert: join(args.out, IDENTITY_FILES.cert), key: join(args.out, IDENTITY_FILES.key), ca: join(args.out, IDENTITY_FILES.ca) };
    try {
      mkdirSync(args.out, { recursive: true, mode: 0o700 });
      // The key first: a proxy reloading between the writes sees a key that is not its certificate's, refuses it, and keeps the old pair.
      writeFileAtomic(files.key, id.privateKeyPem, 0o600);
      writeFileAtomic(files.cert, id.certificatePem + id.chainPem, 0o644);
      writeFileAtomic(files.ca, id.trustBundlePem, 0o644);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(`--out: cannot write in ${args.out}: ${e.code ?? e.message}`);
    }
    out([
      `issued ${id.spiffeId} (serial ${id.serial}), valid ${id.notBefore.toISOString()} to ${id.notAfter.toISOString()}:`,
      `  ${files.cert}  certificate${id.chainPem ? ' and chain' : ''}  (--cert)`,
      `  ${files.key}   its private key, 0600 (--key)`,
      `  ${files.ca}    trust bundle (--ca)`,
      `use: faultmesh proxy ... --cert ${files.cert} --key ${files.key} --ca ${files.ca}`,
    ]);
  });
}

/** The certificate files worth showing in a directory: a CA's, or what `ca issue` wrote. */
const SHOWN_IN_DIR = ['ca.crt', 'chain.pem', 'trust.pem', IDENTITY_FILES.cert, IDENTITY_FILES.ca];

function describe(file: string, cert: X509Certificate, index: number, count: number, now: Date): string[] {
  const { notBefore, notAfter } = validityOf(cert);
  const id = spiffeIdOfSan(cert.subjectAltName);
  const state = now > notAfter ? ' (expired)' : now < notBefore ? ' (not yet valid)' : '';
  const selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  return [
    `${file}${count > 1 ? ` [${index + 1}/${count}]` : ''}:`,
    `  subject     ${subjectOf(cert)}`,
    `  spiffe id   ${id ? `spiffe://${id.trustDomain}/service/${id.service}` : '(none)'}`,
    `  issuer      ${cert.issuer.replaceAll('\n', ', ')}${selfSigned ? ' (self-signed)' : ''}`,
    `  serial      ${cert.serialNumber.toLowerCase()}`,
    `  not before  ${notBefore.toISOString()}`,
    `  not after   ${notAfter.toISOString()}${state}`,
    `  ca          ${cert.ca ? 'yes' : 'no'}`,
  ];
}

function show(args: { path: string }): void {
  if (!existsSync(args.path)) throw new UsageError(`${args.path}: no such file or directory`);
  const files = statSync(args.path).isDirectory() ? SHOWN_IN_DIR.map((f) => join(args.path, f)).filter((f) => existsSync(f)) : [args.path];
  if (files.length === 0) throw new UsageError(`${args.path}: holds none of ${SHOWN_IN_DIR.join(', ')}`);
  const lines: string[] = [];
  for (const file of files) {
    let blocks: string[];
    try {
      blocks = pemBlocks(readFileSync(file, 'utf8'), 'CERTIFICATE');
    } catch (err) {
      throw new UsageError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (blocks.length === 0) throw new UsageError(`${file}: holds no PEM certificate`);
    blocks.forEach((pem, i) => {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch {
        throw new UsageError(`${file}: certificate ${i + 1} is not a valid X.509 certificate`);
      }
      lines.push(...describe(file, cert, i, blocks.length, new Date()));
    });
  }
  out(lines);
}

export const caCommand = {
  command: 'ca <action>',
  describe: "the mesh's certificate authority: create a root, issue a service's certificate, show certificates (no control plane needed); token: a control plane's join tokens",
  builder: (y: Argv) =>
    y
      .command(
        'init <dir>',
        'create a root CA in DIR (refuses a directory that already holds one)',
        (c: Argv) => c.positional('dir', { type: 'string', demandOption: true, describe: 'the directory for the CA (created 0700 if absent)' }).option('trust-domain', { type: 'string', default: DEFAULT_TRUST_DOMAIN, describe: 'the SPIFFE trust domain of every identity this CA issues' }),
        (args) => init(args as unknown as { dir: string; 'trust-domain': string }),
      )
      .command(
        'issue',
        `write a certificate for one service: ${IDENTITY_FILES.cert}, ${IDENTITY_FILES.key} (0600) and ${IDENTITY_FILES.ca} in --out`,
        (c: Argv) =>
          c
            .option('service', { type: 'string', demandOption: true, describe: 'the service the certificate names (its URI SAN spiffe://<trust-domain>/service/<name>)' })
            .option('out', { type: 'string', demandOption: true, describe: 'directory to write the files to (created 0700 if absent; files there are replaced)' })
            .option('ca-dir', { type: 'string', demandOption: true, describe: 'the CA directory (faultmesh ca init)' })
            .option('ttl', { type: 'string', default: formatDuration(DEFAULT_LEAF_TTL_MS), describe: `lifetime of the certificate, at most ${formatDuration(MAX_LEAF_TTL_MS)}` }),
        (args) => issue(args as unknown as IssueArgs),
      )
      .command(
        'show <path>',
        "print each certificate's subject, SPIFFE id, issuer and validity (a PEM file, or a directory from ca init or ca issue)",
        (c: Argv) => c.positional('path', { type: 'string', demandOption: true, describe: 'a PEM file, or a directory written by ca init or ca issue' }),
        (args) => show(args as unknown as { path: string }),
      )
      .command(caTokenCommand)
      .demandCommand(1),
  handler: () => {},
};
