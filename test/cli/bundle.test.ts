// The bundled CLI (scripts/bundle.js → dist/bundle/), which bin/firebreak.js runs by default: it
// answers like dist/app/cli.js, finds its files (package.json, scenarios) from its own folder,
// keeps the commands' heavy dependencies behind their dynamic imports, and the launcher picks it
// only when it stands in for dist/app/cli.js (NODE_ENV=production, not older than the last tsc).

import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BUNDLE = join(ROOT, 'dist', 'bundle');
const SRC_CLI = join(ROOT, 'dist', 'app', 'cli.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  if (!existsSync(SRC_CLI)) throw new Error(`${SRC_CLI} is missing: run "npm run build" first`);
  // A tsc run after the last bundle leaves it stale; bundle again (seconds) rather than test old code.
  const info = join(ROOT, 'dist', '.tsbuildinfo');
  const bundle = join(BUNDLE, 'cli.js');
  if (!existsSync(bundle) || (existsSync(info) && statSync(info).mtimeMs > statSync(bundle).mtimeMs)) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.js')], { cwd: ROOT, stdio: 'pipe' });
  }
}, 120_000);

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fb-bundle-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(cli: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_ENV: 'production', NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The bundle's files that `file` imports statically, itself included (what loading it loads). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(join(BUNDLE, file), 'utf8').matchAll(/^import\s[^;]*?["']\.\/([^"']+)["'];?$/gm))
    staticClosure(m[1]!, seen);
  return seen;
}

/** The packages a set of bundle files holds, from esbuild's per-module path comments. */
function packagesIn(files: Set<string>): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(join(BUNDLE, f), 'utf8').matchAll(
      /^\s*\/\/ \S*?node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm,
    ))
      names.add(m[1]!);
  }
  return names;
}

describe('dist/bundle (the CLI as the launcher runs it)', () => {
  const cli = join(BUNDLE, 'cli.js');

  it('answers like dist/app/cli.js: --version, drill --list, new → note → verify → export', () => {
    expect(run(cli, ['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    // The scenario list reads assets/scenarios through packageRoot(), found from dist/bundle.
    const list = run(cli, ['drill', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(run(SRC_CLI, ['drill', '--list']).stdout);
    expect(list.stdout).toMatch(/^inc-2026-042\t/m);
    const file = join(dir, 'incident.jsonl');
    expect(
      run(cli, ['new', '--title', 'Bundled', '--journal', file, '--id', 'INC-2026-042', '--actor', 'alice']).code,
    ).toBe(0);
    expect(run(cli, ['note', file, '--actor', 'alice', 'from the bundle']).code).toBe(0);
    const v = run(cli, ['verify', file]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/OK — INC-2026-042: 2 records, chain intact/);
    const timeline = run(cli, ['export', file, '--format', 'json']);
    expect(timeline.code).toBe(0);
    expect(JSON.stringify(JSON.parse(timeline.stdout))).toContain('from the bundle');
    // The same journal reads the same through dist/app: one format, two builds of the code.
    expect(run(SRC_CLI, ['verify', file]).stdout).toBe(v.stdout);
  });

  it('keeps the commands lazy: the entry loads neither Ink nor React nor the cloud SDKs; the drill loads Ink but no SDK', () => {
    const entry = packagesIn(staticClosure('cli.js'));
    expect(entry).toContain('commander');
    for (const heavy of [
      'ink',
      'react',
      'react-reconciler',
      'yoga-layout',
      '@kubernetes/client-node',
      '@aws-sdk/client-ec2',
      'yaml',
    ])
      expect(entry).not.toContain(heavy);
    const drillEntry = readdirSync(BUNDLE).find((f) => /^drill-[A-Z0-9]+\.js$/.test(f));
    expect(drillEntry, 'the drill command is its own entry chunk').toBeDefined();
    const drill = packagesIn(staticClosure(drillEntry!));
    expect(drill).toContain('ink');
    expect(drill).toContain('react-reconciler');
    for (const heavy of ['@kubernetes/client-node', '@aws-sdk/client-ec2', '@aws-sdk/client-iam', '@smithy/core'])
      expect(drill).not.toContain(heavy);
  });

  it('lays out with yoga-layout without loading fetch (undici): the wasm is decoded from memory', () => {
    const drillEntry = readdirSync(BUNDLE).find((f) => /^drill-[A-Z0-9]+\.js$/.test(f))!;
    // Importing the drill's entry evaluates Ink, whose import awaits yoga's wasm.
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(join(BUNDLE, drillEntry)).href)});
      process.stdout.write(JSON.stringify({ runDrill: typeof m.runDrill, undici: process.moduleLoadList.filter((n) => /undici/.test(n)) }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ runDrill: 'function', undici: [] });
  });
});

describe('bin/firebreak.js picks the bundle only where it stands in for dist/app/cli.js', () => {
  /** A copy of the launcher over two stub entry points that say which one ran. */
  function layout(): { bin: string; info: string; bundle: string } {
    const root = join(dir, 'pkg');
    for (const d of ['bin', 'dist/app', 'dist/bundle']) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'firebreak.js'), join(root, 'bin', 'firebreak.js'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    writeFileSync(join(root, 'dist', 'app', 'cli.js'), "process.stdout.write('src ' + process.env.NODE_ENV);");
    writeFileSync(join(root, 'dist', 'bundle', 'cli.js'), "process.stdout.write('bundle ' + process.env.NODE_ENV);");
    const info = join(root, 'dist', '.tsbuildinfo');
    writeFileSync(info, '{}');
    const bundle = join(root, 'dist', 'bundle', 'cli.js');
    utimesSync(info, new Date(1_000_000), new Date(1_000_000));
    utimesSync(bundle, new Date(2_000_000), new Date(2_000_000));
    return { bin: join(root, 'bin', 'firebreak.js'), info, bundle };
  }
  const ran = (bin: string, env: Record<string, string | undefined>) => {
    const e: Record<string, string | undefined> = { ...process.env, ...env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete e[k];
    return execFileSync(process.execPath, [bin], { encoding: 'utf8', env: e as NodeJS.ProcessEnv });
  };

  it('NODE_ENV unset (production by default) or production: the bundle; anything else: dist/app', () => {
    const { bin } = layout();
    expect(ran(bin, { NODE_ENV: undefined })).toBe('bundle production');
    expect(ran(bin, { NODE_ENV: 'production' })).toBe('bundle production');
    expect(ran(bin, { NODE_ENV: 'development' })).toBe('src development');
  });

  it('a tsc run after the bundle (newer dist/.tsbuildinfo) or no bundle: dist/app', () => {
    const { bin, info, bundle } = layout();
    utimesSync(info, new Date(3_000_000), new Date(3_000_000));
    expect(ran(bin, { NODE_ENV: undefined })).toBe('src production');
    rmSync(bundle);
    expect(ran(bin, { NODE_ENV: undefined })).toBe('src production');
  });
});
