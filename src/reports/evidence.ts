// The evidence manifest for a legal hand-off: every artifact the journal recorded, with its id,
// path, SHA-256, size, source, collector, tool version and UTC time, its chain of custody, and the
// verdict on the journal itself (a manifest from a tampered journal proves nothing). A bundle adds
// what re-hashing each file found. JSON for tools, Markdown for people; the same data in both.

import { targetName } from './action-phrase.js';
import type { EvidenceFact, ReportFacts } from './facts.js';
import { jsonText, mdCode, mdText } from './escape.js';
import { utcSecond } from './markdown.js';

export interface JournalVerdict {
  file: string;
  ok: boolean;
  message: string;
  records: number;
  head: string;
}

/** What re-hashing an artifact's file found (bundles only). */
export interface ArtifactCheck {
  /**
   * `refused`: the id or the path would reach outside the bundle or the evidence folder; not copied.
   * `in-place`: an imported source file, re-hashed where it is and not copied (it holds the
   * unredacted records).
   */
  status: 'match' | 'in-place' | 'mismatch' | 'missing' | 'refused';
  actualSha256?: string;
  actualSize?: number;
  /** Where the bundle holds the copy, relative to the bundle. */
  bundledAs?: string;
  /** Why the file could not be read. */
  error?: string;
}

export interface Manifest {
  incident: ReportFacts['incident'];
  generatedAt: string;
  journal: JournalVerdict;
  evidence: (EvidenceFact & { check?: ArtifactCheck })[];
}

export function buildManifest(
  f: ReportFacts,
  journal: JournalVerdict,
  checks?: ReadonlyMap<string, ArtifactCheck>,
): Manifest {
  return {
    incident: f.incident,
    generatedAt: f.now,
    journal,
    evidence: f.evidence.map((e) => {
      const c = checks?.get(e.evidenceId);
      return c ? { ...e, check: c } : { ...e };
    }),
  };
}

export function manifestJson(m: Manifest): string {
  return jsonText(m);
}

function checkLine(c: ArtifactCheck | undefined): string | undefined {
  if (!c) return undefined;
  if (c.status === 'match')
    return `- Re-hashed: **OK** — SHA-256 and size match the journal${c.bundledAs ? `; copied to ${mdCode(c.bundledAs)}` : ''}`;
  if (c.status === 'in-place')
    return '- Re-hashed: **OK** where it is — an imported source file, not copied into the bundle (it holds the unredacted records)';
  if (c.status === 'refused') return `- Re-hashed: **REFUSED** — not bundled${c.error ? `: ${mdText(c.error)}` : ''}`;
  if (c.status === 'missing')
    return `- Re-hashed: **MISSING** — the file is gone or unreadable${c.error ? ` (${mdText(c.error)})` : ''}`;
  return `- Re-hashed: **MISMATCH** — the file is not what was collected: SHA-256 now \`${c.actualSha256}\`, ${c.actualSize} bytes${c.bundledAs ? `; copied as found to ${mdCode(c.bundledAs)}` : ''}`;
}

export function manifestMarkdown(m: Manifest): string {
  const lines = [
    `# Evidence manifest: ${mdText(m.incident.id)} — ${mdText(m.incident.title)}`,
    '',
    `Written ${utcSecond(m.generatedAt)} UTC. All times UTC.`,
    '',
    '## Journal',
    '',
    `- File: ${mdCode(m.journal.file)}`,
    `- Verify: **${m.journal.ok ? 'INTACT' : 'NOT INTACT'}** — ${mdText(m.journal.message)}`,
    `- Records: ${m.journal.records}; head hash \`${m.journal.head}\``,
    '',
    `## Artifacts (${m.evidence.length})`,
  ];
  if (!m.evidence.length) lines.push('', 'The journal records no evidence.');
  for (const e of m.evidence) {
    lines.push(
      '',
      `### ${mdText(e.evidenceId)} — ${mdText(e.description)}`,
      '',
      `- Path: ${mdCode(e.path)}`,
      `- SHA-256: \`${e.sha256}\``,
      `- Size: ${e.size} bytes`,
      `- Source: ${mdText(e.source)}`,
      `- Collected: ${utcSecond(e.collectedAt)} UTC by ${mdText(e.collector)} with ${mdText(e.toolVersion)}; journaled ${utcSecond(e.recordedAt)} UTC`,
    );
    if (e.target) {
      const name = targetName(e.target);
      lines.push(`- Target: ${mdText(name)}${name.includes(e.target.id) ? '' : `, id ${mdText(e.target.id)}`}`);
    }
    if (e.actionId) lines.push(`- Captured by action ${mdCode(e.actionId)}`);
    lines.push(`- Custody: 1. ${utcSecond(e.collectedAt)} collected by ${mdText(e.collector)}`);
    e.custody.forEach((c, i) =>
      lines.push(
        `  ${i + 2}. ${utcSecond(c.at)} ${mdText(c.from)} → ${mdText(c.to)}${c.reason ? ` — ${mdText(c.reason)}` : ''}${c.location ? ` (at ${mdText(c.location)})` : ''}; recorded by ${mdText(c.actor)}`,
      ),
    );
    const cl = checkLine(e.check);
    if (cl) lines.push(cl);
  }
  return lines.join('\n') + '\n';
}
