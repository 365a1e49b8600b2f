// Bundled scenarios as JSON, made at build time (`npm run build` runs precompile-scenarios.ts):
// parsing 80 KB of YAML costs a third of a drill's cold start, JSON.parse a millisecond. An entry
// is used only when the SHA-256 of the YAML text matches the one it was made from, so an edited
// scenario is never shadowed by a stale cache; the schema and the compiler still run on it.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { compileScenario, type Scenario } from './compile.js';
import { scenarioFileSchema } from './scenario-schema.js';
import { packageRoot } from './scenario.js';

export interface CacheEntry {
  sha256: string;
  data: unknown;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function cacheDir(): string {
  return join(packageRoot(), 'dist', 'scenarios');
}

export function cacheFileFor(file: string): string {
  return join(cacheDir(), `${basename(file, extname(file))}.json`);
}

/** The compiled scenario from the cache, or undefined (no entry, stale, or anything unexpected). */
export async function fromCache(
  text: string,
  file: string,
  name = basename(file, extname(file)),
): Promise<Scenario | undefined> {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(await readFile(cacheFileFor(file), 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
  if (entry.sha256 !== sha256(text)) return undefined;
  // Without zod's JIT: it compiles a fast path per object schema on first use, which a document
  // parsed once per process never earns back (~5 ms of the drill's cold start).
  const parsed = scenarioFileSchema.safeParse(entry.data, { jitless: true });
  if (!parsed.success) return undefined;
  const compiled = compileScenario(parsed.data, name, file);
  return compiled.ok ? compiled.scenario : undefined;
}
