// Loading drill scenarios: YAML → schema → compiled Scenario. Facilitators write these files by
// hand, so every failure names the file, the path of the bad field and, where the YAML parser
// knows it, the line — "inc.yaml:57: events[3].outcome: …" — never a zod dump.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { compileScenario, type Scenario, type ScenarioIssue } from './compile.js';
import { scenarioFileSchema } from './scenario-schema.js';

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

/** The line of the deepest YAML node on `path` that exists (a missing key points at its parent). */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range && (n === path.length || isMap(node) || isSeq(node))) return lines.linePos(range[0]).line;
  }
  return undefined;
}

function issueError(file: string, doc: Document, lines: LineCounter, issues: readonly ScenarioIssue[]): ScenarioError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ScenarioError(file, formatPath(first.path), first.message + more, lineOf(doc, lines, first.path));
}

/** A zod issue as a path and a message; an unknown key is reported at the key itself. */
function toIssue(i: z.core.$ZodIssue): ScenarioIssue {
  const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (i.code === 'unrecognized_keys') return { path: [...path, i.keys[0]!], message: `unknown field${i.keys.length > 1 ? `s ${i.keys.join(', ')}` : ''} (misspelt?)` };
  return { path, message: i.message };
}

/** Parses and compiles scenario text; `file` is used for messages and the default name. */
export function parseScenario(text: string, file: string, name = basename(file, extname(file))): Scenario {
  const lines = new LineCounter();
  // Merge keys (<<: *anchor) let a scenario share CloudTrail boilerplate between records.
  const doc = parseDocument(text, { merge: true, lineCounter: lines });
  const bad = doc.errors[0];
  if (bad) {
    // The pretty message appends " at line N, column M:" and a source excerpt; we give the line.
    const first = bad.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ScenarioError(file, '', `YAML: ${first}`, bad.linePos?.[0]?.line);
  }
  const parsed = scenarioFileSchema.safeParse(doc.toJS({ maxAliasCount: 10_000 }));
  if (!parsed.success) throw issueError(file, doc, lines, parsed.error.issues.map(toIssue));
  const compiled = compileScenario(parsed.data, name, file);
  if (!compiled.ok) throw issueError(file, doc, lines, compiled.issues);
  return compiled.scenario;
}

const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A bare name ("inc-2026-042") is a bundled scenario under assets/scenarios; anything with a path
 * separator or a .yaml/.yml ending is a facilitator's own file, relative to the working directory.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const isPath = /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
  if (!isPath && (!BARE_NAME.test(nameOrPath) || nameOrPath.includes('..'))) {
    throw new ScenarioError(nameOrPath, '', 'not a scenario name (letters, digits, ".", "_", "-") or a path to a .yaml file');
  }
  const file = isPath ? resolve(nameOrPath) : join(scenariosDir(), `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !isPath) {
      const known = (await listScenarios()).map((s) => s.name).join(', ');
      throw new ScenarioError(nameOrPath, '', `no such bundled scenario; available: ${known || 'none'} (or give a path to a .yaml file)`);
    }
    throw new ScenarioError(file, '', `cannot read: ${code ?? (e as Error).message}`);
  }
  return parseScenario(text, file);
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
        const s = parseScenario(await readFile(file, 'utf8'), file, name);
        return { name, title: s.title, description: s.description, file };
      } catch (e) {
        return { name, title: name, description: '', file, error: (e as Error).message };
      }
    }),
  );
}
