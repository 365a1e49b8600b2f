// Scoring a drill journal: read its records, score them against the scenario's targets
// (src/reports/scorecard.ts), and — for `firebreak export FILE --scorecard` — render the latest
// journaled scorecard (or one computed on the spot when the drill was never scored) as Markdown.

import type { AnyRecord } from '../../src/journal/records.js';
import { scanJournal } from '../../src/journal/scan.js';
import {
  actionTraits,
  scoreDrill,
  scorecardMarkdown,
  type Scorecard,
  type ScoreTargets,
  type ScoreWhen,
} from '../../src/reports/scorecard.js';
import { DEFAULT_TARGETS } from '../../src/sources/drill/scenario-schema.js';
import { loadScenario } from '../../src/sources/drill/scenario.js';

export async function readRecords(file: string): Promise<AnyRecord[]> {
  const out: AnyRecord[] = [];
  const scan = await scanJournal(file, (r) => out.push(r.record));
  if (scan.failure)
    throw new Error(`${file}: record ${scan.failure.seq} (line ${scan.failure.line}): ${scan.failure.reason}`);
  return out;
}

export async function scoreJournal(
  file: string,
  scenario: string,
  targets: ScoreTargets,
  when: ScoreWhen = {},
): Promise<Scorecard> {
  return scoreDrill(await readRecords(file), targets, scenario, actionTraits, when);
}

/** The Markdown scorecard of a drill journal: the last drill.scored, else scored now (not recorded). */
export async function scorecardExport(file: string): Promise<string> {
  const records = await readRecords(file);
  const opened = records.find((r) => r.type === 'incident.opened');
  if (opened?.type !== 'incident.opened' || opened.data.mode !== 'drill')
    throw new Error(`${file} is not a drill journal: only drills are scored`);
  const title = `${opened.data.incidentId} ${opened.data.title}`;
  const last = records.findLast((r) => r.type === 'drill.scored');
  if (last?.type === 'drill.scored') return scorecardMarkdown(last.data, title);
  const name = opened.data.scenario ?? 'drill';
  // A facilitator's own scenario file may not be at hand: its targets then fall back to the defaults.
  const targets = await loadScenario(name).then(
    (s) => s.targets,
    () => DEFAULT_TARGETS,
  );
  return (
    scorecardMarkdown(scoreDrill(records, targets, name), title) +
    '\n_Not journaled: computed at export, the drill was never scored._\n'
  );
}
