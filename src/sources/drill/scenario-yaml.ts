// The YAML path of scenario loading: parse, validate, compile — with errors that name the file,
// the path of the bad field and, where the YAML parser knows it, the line ("inc.yaml:57:
// events[3].outcome: …"), never a zod dump. Loaded only when a scenario is not in the build's cache.

import { basename, extname } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { compileScenario, type Scenario, type ScenarioIssue } from './compile.js';
import { scenarioFileSchema } from './scenario-schema.js';
import { formatPath, ScenarioError } from './scenario.js';

/** The YAML document as plain data (what the build caches as JSON), or a ScenarioError. */
export function scenarioData(text: string, file: string): { data: unknown; doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  // Merge keys (<<: *anchor) let a scenario share CloudTrail boilerplate between records.
  const doc = parseDocument(text, { merge: true, lineCounter: lines });
  const bad = doc.errors[0];
  if (bad) {
    // The pretty message appends " at line N, column M:" and a source excerpt; we give the line.
    const first = bad.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ScenarioError(file, '', `YAML: ${first}`, bad.linePos?.[0]?.line);
  }
  return { data: doc.toJS({ maxAliasCount: 10_000 }), doc, lines };
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
  if (i.code === 'unrecognized_keys')
    return {
      path: [...path, i.keys[0]!],
      message: `unknown field${i.keys.length > 1 ? `s ${i.keys.join(', ')}` : ''} (misspelt?)`,
    };
  return { path, message: i.message };
}

/** Parses and compiles scenario text; `file` is used for messages and the default name. */
export function parseScenario(text: string, file: string, name = basename(file, extname(file))): Scenario {
  const { data, doc, lines } = scenarioData(text, file);
  const parsed = scenarioFileSchema.safeParse(data);
  if (!parsed.success) throw issueError(file, doc, lines, parsed.error.issues.map(toIssue));
  const compiled = compileScenario(parsed.data, name, file);
  if (!compiled.ok) throw issueError(file, doc, lines, compiled.issues);
  return compiled.scenario;
}
