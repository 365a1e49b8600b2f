// `--rules DIR` / `:rules DIR`: every .yml/.yaml file under DIR (recursively) parsed as a Sigma
// rule. A rule for CloudTrail or Kubernetes audit that the engine evaluates exactly is loaded;
// every other file is reported with its path and the construct or logsource that kept it out.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Rule } from '../types.js';
import { parseSigmaRule } from './parse.js';
import { sigmaToRule } from './rule.js';

export interface SigmaReport {
  file: string;
  kind: 'unsupported' | 'invalid' | 'other-logsource' | 'duplicate' | 'unreadable';
  construct: string;
}

/** A loaded rule with a part that can never match its logsource's records (fields.ts). */
export interface SigmaWarning {
  file: string;
  message: string;
}

export interface SigmaLoad {
  rules: Rule[];
  files: number;
  reports: SigmaReport[];
  warnings: SigmaWarning[];
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
}

export async function loadSigmaDir(path: string): Promise<SigmaLoad> {
  const files: string[] = [];
  if ((await stat(path)).isDirectory()) await walk(path, files);
  else files.push(path);
  const rules: Rule[] = [];
  const reports: SigmaReport[] = [];
  const warnings: SigmaWarning[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      reports.push({ file, kind: 'unreadable', construct: (e as Error).message });
      continue;
    }
    const r = parseSigmaRule(text, basename(file).replace(/\.ya?ml$/i, ''));
    if (!r.ok) {
      reports.push({ file, kind: r.kind, construct: r.construct });
      continue;
    }
    if (ids.has(r.rule.id)) {
      reports.push({ file, kind: 'duplicate', construct: `id ${r.rule.id} already loaded from another file` });
      continue;
    }
    ids.add(r.rule.id);
    rules.push(sigmaToRule(r.rule));
    for (const message of r.rule.warnings) warnings.push({ file, message });
  }
  return { rules, files: files.length, reports, warnings };
}

/** "12 Sigma rules loaded from 15 files; 3 not loaded (listed below)". */
export function sigmaSummary(dir: string, l: SigmaLoad): string {
  const n = l.rules.length;
  const w = new Set(l.warnings.map((x) => x.file)).size;
  return `${n} Sigma rule${n === 1 ? '' : 's'} loaded from ${dir} (${l.files} files)${l.reports.length ? `; ${l.reports.length} not loaded` : ''}${w ? `; ${w} with warnings` : ''}`;
}

/** The files not loaded, then the loaded rules' warnings. */
export function sigmaReportLines(l: SigmaLoad): string[] {
  return [
    ...l.reports.map(
      (r) =>
        `${r.file}: ${r.kind === 'other-logsource' ? 'not CloudTrail or Kubernetes audit' : r.kind} — ${r.construct}`,
    ),
    ...l.warnings.map((w) => `${w.file}: loaded, warning — ${w.message}`),
  ];
}
