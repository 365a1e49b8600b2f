// Loading drill scenarios: YAML → schema → compiled Scenario. A bundled scenario whose text
// matches its build-time JSON (scenario-cache.ts) skips the YAML parser — the biggest single cost
// of a drill's cold start; anything else goes through scenario-yaml.ts, whose errors name the
// file, the field and the line.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './compile.js';
import { fromCache } from './scenario-cache.js';

export type { Scenario } from './compile.js';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    /** Dotted path of the bad field ("events[3].outcome"), empty for a whole-file problem. */
    readonly field: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ScenarioError';
  }
}

/**
 * The directory holding package.json. Walked up to rather than fixed, because this module runs
 * both as src/sources/drill/scenario.ts (tests) and as dist/src/sources/drill/scenario.js.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export function scenariosDir(): string {
  return join(packageRoot(), 'assets', 'scenarios');
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A bare name ("inc-2026-042") is a bundled scenario under assets/scenarios; anything with a path
 * separator or a .yaml/.yml ending is a facilitator's own file, relative to the working directory.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const isPath = /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
  if (!isPath && (!BARE_NAME.test(nameOrPath) || nameOrPath.includes('..'))) {
    throw new ScenarioError(
      nameOrPath,
      '',
      'not a scenario name (letters, digits, ".", "_", "-") or a path to a .yaml file',
    );
  }
  const file = isPath ? resolve(nameOrPath) : join(scenariosDir(), `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !isPath) {
      const known = (await listScenarios()).map((s) => s.name).join(', ');
      throw new ScenarioError(
        nameOrPath,
        '',
        `no such bundled scenario; available: ${known || 'none'} (or give a path to a .yaml file)`,
      );
    }
    throw new ScenarioError(file, '', `cannot read: ${code ?? (e as Error).message}`);
  }
  return parseText(text, file);
}

/** The cached compile when the text is the one the build saw, else the YAML parser (loaded only then). */
async function parseText(text: string, file: string, name?: string): Promise<Scenario> {
  const cached = await fromCache(text, file, name);
  if (cached) return cached;
  const { parseScenario } = await import('./scenario-yaml.js');
  return parseScenario(text, file, name);
}

export interface ScenarioSummary {
  name: string;
  title: string;
  description: string;
  file: string;
  /** Set when the file does not load; the listing still shows it so the facilitator can fix it. */
  error?: string;
}

/** Every *.yaml in `dir` (default: the bundled scenarios), by name. */
export async function listScenarios(dir: string = scenariosDir()): Promise<ScenarioSummary[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return Promise.all(
    names.map(async (n): Promise<ScenarioSummary> => {
      const file = join(dir, n);
      const name = basename(n, extname(n));
      try {
        const s = await parseText(await readFile(file, 'utf8'), file, name);
        return { name, title: s.title, description: s.description, file };
      } catch (e) {
        return { name, title: name, description: '', file, error: (e as Error).message };
      }
    }),
  );
}
