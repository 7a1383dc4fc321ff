import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

/**
 * No Docker engine runs here, so the Dockerfile is checked by reading it:
 * what it copies exists and is not ignored, the entrypoint is a file the
 * build makes, and nothing the CLI imports is left out by `npm ci --omit=dev`.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Instruction {
  readonly line: number;
  readonly op: string;
  readonly rest: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, i) => {
    if (/^\s*#/.test(raw) || (!pending && raw.trim() === '')) return;
    const body = raw.replace(/\\\s*$/, '');
    pending = pending ? { line: pending.line, text: `${pending.text} ${body.trim()}` } : { line: i + 1, text: body.trim() };
    if (/\\\s*$/.test(raw)) return;
    const m = /^(\S+)\s*(.*)$/.exec(pending.text)!;
    out.push({ line: pending.line, op: m[1]!.toUpperCase(), rest: m[2]! });
    pending = undefined;
  });
  return out;
}

const dockerfile = instructions(read('Dockerfile'));
const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const stages = dockerfile.filter((i) => i.op === 'FROM').map((i) => /\bAS\s+(\S+)/i.exec(i.rest)?.[1]);
const entrypoint = JSON.parse(dockerfile.find((i) => i.op === 'ENTRYPOINT')!.rest) as string[];
const script = entrypoint.find((a) => a.endsWith('.js'))!;

/** Bare package names imported for their values (not `import type`) by `file` and every local module it reaches. */
function runtimePackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...[...text.matchAll(/^\s*(?:import|export)(\s+type\b)?[^;'"]*?from\s*['"]([^'"]+)['"]/gm)].filter((m) => !m[1]).map((m) => m[2]!),
    ...[...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
  ];
  for (const s of specifiers) {
    if (s.startsWith('.')) {
      const next = join(dirname(file), s).replace(/\.js$/, '.ts');
      for (const p of runtimePackages(next, seen)) packages.add(p);
    } else if (!s.startsWith('node:') && !builtinModules.includes(s)) {
      packages.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    }
  }
  return packages;
}

describe('Dockerfile', () => {
  it('builds on node:20-slim in two stages, and the runtime stage installs production dependencies only', () => {
    const froms = dockerfile.filter((i) => i.op === 'FROM');
    assert.equal(froms.length, 2);
    for (const f of froms) assert.match(f.rest, /^node:20-slim\b/);
    const runtimeRuns = dockerfile.slice(dockerfile.indexOf(froms[1]!)).filter((i) => i.op === 'RUN').map((i) => i.rest);
    assert.ok(runtimeRuns.some((r) => /npm ci\b.*--omit=dev/.test(r)), 'the runtime stage runs npm ci --omit=dev');
    const user = dockerfile.filter((i) => i.op === 'USER').at(-1);
    assert.ok(user && !/^(0|root)\b/.test(user.rest), 'the image runs as a user other than root');
  });

  it('copies only paths that exist in the repository and that .dockerignore does not drop', () => {
    const copies = dockerfile.filter((i) => i.op === 'COPY');
    assert.ok(copies.length > 0);
    for (const c of copies) {
      const words = c.rest.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      if (from !== undefined) {
        assert.ok(stages.slice(0, -1).includes(from), `Dockerfile:${c.line}: --from=${from} names an earlier stage`);
        continue;
      }
      for (const source of paths.slice(0, -1)) {
        assert.ok(existsSync(join(root, source)), `Dockerfile:${c.line}: ${source} exists`);
        assert.ok(!ignored.includes(source.replace(/\/$/, '')), `Dockerfile:${c.line}: ${source} is not in .dockerignore`);
      }
    }
  });

  it("builds every folder tsconfig.json compiles, so the build stage's npm run build sees all the sources", () => {
    const copied = new Set(dockerfile.filter((i) => i.op === 'COPY' && !i.rest.includes('--from=')).flatMap((i) => i.rest.split(/\s+/).slice(0, -1)));
    const include = (JSON.parse(read('tsconfig.json')) as { include: string[] }).include;
    for (const glob of include) assert.ok(copied.has(glob.split('/')[0]!), `the build stage copies ${glob.split('/')[0]} (tsconfig.json includes ${glob})`);
  });

  it("runs the built CLI as the entrypoint, with the V8 flags of its shebang", () => {
    assert.equal(entrypoint[0], 'node');
    assert.equal(script, 'dist/cli/main.js');
    const source = join(root, relative('dist', script).replace(/\.js$/, '.ts'));
    assert.ok(existsSync(source), `${relative(root, source)} is what tsc compiles to ${script}`);
    const shebang = readFileSync(source, 'utf8').split('\n')[0]!;
    const flags = shebang.split(/\s+/).filter((w) => w.startsWith('--'));
    assert.ok(flags.length > 0);
    assert.deepEqual(entrypoint.slice(1, -1), flags);
  });

  it('finds the entrypoint in dist/ after a build', { skip: existsSync(join(root, 'dist')) ? false : 'no dist/: run npm run build first (CI builds before testing)' }, () => {
    assert.ok(existsSync(join(root, script)), `${script} exists after npm run build`);
  });

  it('imports at run time nothing that npm ci --omit=dev leaves out: every package the CLI reaches is a dependency', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const used = runtimePackages(join(root, 'cli/main.ts'));
    assert.ok(used.has('yargs') && used.has('express') && used.has('undici'), 'the import walk reaches the CLI, the admin API and the forwarder');
    const missing = [...used].filter((p) => !(p in pkg.dependencies));
    assert.deepEqual(missing, [], `packages the CLI imports but dependencies does not list (devDependencies: ${missing.filter((p) => p in pkg.devDependencies).join(', ') || 'none'})`);
  });
});
