#!/usr/bin/env node
// Launcher. firebreak needs Node >= 22 (Ink 8), but many machines still ship Node 20, so where the
// running Node is older we re-run under the Node 22 binary that our `node` dependency brought
// from the npm registry. This file must therefore stay plain JavaScript that Node 20 can load.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
// React and Ink pick their production builds from NODE_ENV at import time.
process.env.NODE_ENV ??= 'production';

/**
 * dist/bundle/cli.js (scripts/bundle.js: the compiled modules in a few files, about half the cold
 * start) unless it cannot stand in for dist/app/cli.js: it is built for NODE_ENV=production only
 * (React's production build), and a tsc run after it (dist/.tsbuildinfo is newer) left it stale.
 */
function bundled() {
  if (process.env.NODE_ENV !== 'production') return undefined;
  const bundle = join(here, '..', 'dist', 'bundle', 'cli.js');
  try {
    const built = statSync(bundle).mtimeMs;
    const info = join(here, '..', 'dist', '.tsbuildinfo');
    return existsSync(info) && statSync(info).mtimeMs > built ? undefined : bundle;
  } catch {
    return undefined;
  }
}

if (major >= 22) {
  // Node's on-disk compile cache (22.1+) skips re-compiling the same modules on every start.
  (await import('node:module')).enableCompileCache?.();
  const cli = bundled() ?? join(here, '..', 'dist', 'app', 'cli.js');
  if (!existsSync(cli)) {
    process.stderr.write('firebreak: not built yet — run "npm run build" in ' + join(here, '..') + '\n');
    process.exit(2);
  }
  await import(cli);
} else {
  let node;
  try {
    node = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
  } catch {
    node = undefined;
  }
  if (!node || !existsSync(node)) {
    process.stderr.write(
      `firebreak needs Node >= 22 and this is ${process.version}; the bundled Node 22 is missing — run "npm install" again.\n`,
    );
    process.exit(2);
  }
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child directly through the terminal's process group: ignore it here rather
  // than deliver it twice. Signals sent to this pid alone are passed on.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
