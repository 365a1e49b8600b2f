// Bundles the compiled CLI (dist/app/cli.js, from tsc) into dist/bundle/: one ESM file per lazily
// imported command plus shared chunks. Node then reads a few dozen files at start instead of ~900
// modules over hundreds of package.json lookups, which halves the drill's cold start
// (measured by bench/cold-start.js). bin/firebreak.js prefers the bundle and falls back to
// dist/app/cli.js. Code splitting keeps the dynamic imports lazy: `--version` and `verify` load
// neither Ink nor React, and the AWS SDK and client-node load only with a live source or the
// first action.
//
// process.env.NODE_ENV is fixed to "production" (React, Ink), so the launcher uses the bundle
// only when NODE_ENV is production, its default; any other NODE_ENV runs dist/app/cli.js with
// React's development build, as before.

import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

/**
 * yoga-layout (Ink's layout engine) ships its wasm as a base64 data: URL and, wherever a global
 * fetch exists, loads it with fetch() — which on Node loads undici (~25 ms of a cold start) to
 * decode a string already in memory. Without fetch it decodes the same bytes with atob. The
 * pattern must be found exactly once, so a yoga release that changes it fails the build instead
 * of silently losing the saving.
 */
function yogaWithoutFetch() {
  const pattern = 'w||"function"!=typeof fetch?';
  return {
    name: 'yoga-without-fetch',
    setup(b) {
      b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const n = text.split(pattern).length - 1;
        if (n !== 1)
          return {
            errors: [{ text: `yoga-without-fetch: expected ${pattern} once in ${args.path}, found it ${n} times` }],
          };
        return { contents: text.replace(pattern, 'w||!0?'), loader: 'js' };
      });
    },
  };
}

export async function bundle() {
  rmSync(outdir, { recursive: true, force: true });
  return build({
    entryPoints: [join(root, 'dist', 'app', 'cli.js')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Ink imports it only under DEV=true (React DevTools), and it is not installed.
    external: ['react-devtools-core'],
    // CommonJS packages inside an ESM bundle still call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __firebreakRequire } from 'node:module'; const require = __firebreakRequire(import.meta.url);",
    },
    plugins: [yogaWithoutFetch()],
    metafile: !!process.env.BUNDLE_METAFILE,
    sourcemap: !!process.env.BUNDLE_SOURCEMAP,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await bundle();
  if (process.env.BUNDLE_METAFILE)
    (await import('node:fs')).writeFileSync(process.env.BUNDLE_METAFILE, JSON.stringify(r.metafile));
}
