// An import says where it is and can be stopped: progress at each file and batch, and a signal
// that stops it between two records. What was read is journaled, the summary says it stopped
// (exit 2, like any stop), files read to their end are evidence, and importing again goes on.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importExitCode, progressLine, runImport, type ImportProgress } from '../../../app/commands/import.js';
import { openIncident } from '../../../store/open.js';
import { tempDir } from '../../helpers/tmp.js';
import { ctRecord, logKey, makeJournal, writeLog } from './helpers.js';

const now = () => new Date('2026-04-20T15:00:00.000Z');

async function held(journal: string): Promise<{ events: number; evidence: number }> {
  const { store } = await openIncident(journal, { readOnly: true });
  const s = store.getState().state;
  return { events: s.eventIndex.size, evidence: s.evidence.length };
}

function threeFiles(dir: string): string {
  const ev = join(dir, 'evidence');
  for (let f = 0; f < 3; f++)
    writeLog(
      join(ev, logKey('us-east-1', `20260420T14${f}0Z`, `file${f}aaaaaaaaaaa`)),
      Array.from({ length: 3000 }, (_, i) => ctRecord(f * 3000 + i)),
    );
  return ev;
}

it('reports progress at each file and each batch, counting up to the whole import', async () => {
  const dir = tempDir('fb-imp-');
  const journal = await makeJournal(dir);
  const seen: ImportProgress[] = [];
  const s = await runImport([threeFiles(dir)], { journal, now, onProgress: (p) => seen.push({ ...p }) });
  expect(s).toMatchObject({ files: 3, records: 9000, imported: 9000 });
  expect(seen.map((p) => p.files)).toContain(3);
  expect(seen.every((p) => p.filesTotal === 3)).toBe(true);
  const records = seen.map((p) => p.records);
  expect(records).toEqual([...records].sort((a, b) => a - b));
  expect(Math.max(...records)).toBeGreaterThanOrEqual(8000);
  expect(progressLine(seen.at(-1)!, 60).length).toBeLessThanOrEqual(59);
});

it('a cancelled import journals what it read, says it stopped, and an import again goes on', async () => {
  const dir = tempDir('fb-imp-');
  const journal = await makeJournal(dir);
  const ev = threeFiles(dir);
  const stop = new AbortController();
  const s = await runImport([ev], {
    journal,
    now,
    signal: stop.signal,
    // Stop in the middle of the second file.
    onProgress: (p) => {
      if (p.files === 2 && p.records >= 4000) stop.abort();
    },
  });
  expect(s.stopped).toMatch(
    /^cancelled after [\d,]+ records \(2 of 3 files started\); what was read is in the journal/,
  );
  expect(importExitCode(s)).toBe(2);
  expect(s.records).toBeGreaterThanOrEqual(4000);
  expect(s.records).toBeLessThan(9000);
  const first = await held(journal);
  // Every record read was journaled (none lost between the batch and the stop) …
  expect(first.events).toBe(s.imported);
  expect(s.imported).toBe(s.records);
  // … and only the file read to its end is evidence.
  expect(first.evidence).toBe(1);

  const again = await runImport([ev], { journal, now });
  expect(again).toMatchObject({ records: 9000, imported: 9000 - s.imported, duplicates: s.imported });
  expect((await held(journal)).events).toBe(9000);
});
