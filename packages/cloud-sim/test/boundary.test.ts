// The simulated cloud imports nothing from firebreak: it is the independent oracle the product's
// wire tests and drills are checked against, so a product bug must not be able to pass its own
// read-back through shared code (the way a shared Service-selector function once could). Its
// sources may import only each other, Node's built-ins and the package's own dependencies; its
// tests may add its devDependencies.

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const PKG = resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** Every module specifier a TypeScript file names: static imports and re-exports, import(), require(). */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Why `spec`, imported from `file`, leaves what `root` may use; undefined if it does not. */
export function violation(file: string, spec: string, root: string, allowed: ReadonlySet<string>): string | undefined {
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    return target === root || target.startsWith(root + sep)
      ? undefined
      : `${spec} resolves outside ${relative(PKG, root) || '.'}`;
  }
  if (spec.startsWith('node:') || builtinModules.includes(spec)) return undefined;
  return allowed.has(packageOf(spec)) ? undefined : `${spec} is not a dependency of the package`;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function violations(dir: string, root: string, allowed: ReadonlySet<string>): string[] {
  return files(dir).flatMap((f) =>
    specifiers(readFileSync(f, 'utf8')).flatMap((s) => {
      const why = violation(f, s, root, allowed);
      return why ? [`${relative(PKG, f)}: ${why}`] : [];
    }),
  );
}

const deps = new Set(Object.keys(manifest.dependencies ?? {}));
const devDeps = new Set([...deps, ...Object.keys(manifest.devDependencies ?? {})]);

describe('the package boundary', () => {
  it('src imports only its own files, node: built-ins and its dependencies', () => {
    expect(files(join(PKG, 'src')).length).toBeGreaterThan(20);
    expect(violations(join(PKG, 'src'), join(PKG, 'src'), deps)).toEqual([]);
  });

  it('the tests import only the package, node: built-ins and its devDependencies', () => {
    expect(violations(join(PKG, 'test'), PKG, devDeps)).toEqual([]);
  });

  it('the check catches a product import, a bare product package and a dynamic import', () => {
    const src = join(PKG, 'src');
    const file = join(src, 'kubernetes', 'model', 'objects.ts');
    // As if in src/kubernetes/model/objects.ts (a .txt file, so the scan above does not read it).
    const text = readFileSync(join(__dirname, 'fixtures', 'leaving-imports.ts.txt'), 'utf8');
    const found = Object.fromEntries(specifiers(text).map((s) => [s, violation(file, s, src, deps) !== undefined]));
    expect(found).toEqual({
      '../../../../../src/domain/kube-selectors.js': true,
      '../../../../../src/actions/types.js': true,
      '@kubernetes/client-node': true,
      '../../../../../store/open.js': true,
      '../../../../../views/theme.js': true,
      'node:crypto': false,
      './labels.js': false,
      './objects.js': false,
    });
  });
});
