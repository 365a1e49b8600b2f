// importInto: the same import on a journal that is already open (the cockpit's `:import`), through
// the store that holds its write lock — no second open.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInto, importSummaryLine, runImport } from '../../../app/commands/import.js';
import { openIncident } from '../../../store/open.js';
import { tempDir } from '../../helpers/tmp.js';
import { ctRecord, makeJournal, writeLog } from './helpers.js';

const now = () => new Date('2026-04-20T15:00:00.000Z');

describe('importInto', () => {
  it('imports through an open store while it holds the lock; runImport alone is refused meanwhile', async () => {
    const dir = tempDir('fb-into-');
    const journal = await makeJournal(dir);
    const ev = join(dir, 'ev');
    writeLog(join(ev, 'a.json'), [ctRecord(1), ctRecord(2)]);
    const { store, journal: j } = await openIncident(journal, { actor: 'alice' });
    try {
      await expect(runImport([ev], { journal, now })).rejects.toThrow();
      const s = await importInto(store, [ev], { journal, now });
      expect(s).toMatchObject({ journal, files: 1, records: 2, imported: 2, duplicates: 0, problemCount: 0 });
      expect(store.getState().state.events.length).toBe(2);
      expect(importSummaryLine(s)).toBe('imported 2 new events from 1 file');
      const again = await importInto(store, [ev], { journal, now });
      expect(importSummaryLine(again)).toBe('imported 0 new events from 1 file (2 duplicates skipped)');
      await expect(importInto(store, [join(dir, 'nope')], { journal, now })).rejects.toThrow(
        'no such file or directory',
      );
    } finally {
      await j?.close();
    }
    // The journal is still whole: a fresh open sees both events.
    const { store: r } = await openIncident(journal, { readOnly: true });
    expect(r.getState().state.events.length).toBe(2);
  });

  it('a one-line summary counts problems, duplicates and detections', () => {
    const base = {
      journal: 'j',
      files: 3,
      records: 1300,
      imported: 1234,
      duplicates: 0,
      stagesMerged: 0,
      problems: [],
      problemCount: 2,
      skipped: [],
      detections: 0,
      digests: undefined,
      sourceFiles: [],
    };
    expect(importSummaryLine(base)).toBe('imported 1,234 new events from 3 files (2 problems — see the timeline note)');
    expect(importSummaryLine({ ...base, problemCount: 0, duplicates: 1, detections: 1 })).toBe(
      'imported 1,234 new events from 3 files (1 duplicate skipped; 1 detection)',
    );
  });
});
