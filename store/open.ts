// Opening an incident: the journal is read, verified and folded into a fresh store. For writing,
// the journal is locked and a torn tail moved aside; for review, nothing on disk is touched.

import { Journal, type JournalOptions } from '../src/journal/journal.js';
import type { RecordData } from '../src/journal/records.js';
import { scanJournal, type ScannedRecord, type ScanResult } from '../src/journal/scan.js';
import { JournalCorruptError } from '../src/journal/errors.js';
import { createIncidentStore, createLoader, type IncidentStore } from './store.js';

export interface OpenedIncident {
  store: IncidentStore;
  journal: Journal | undefined;
  scan: ScanResult;
  /** One line for the status bar: what opening found (verified, torn tail moved, …). */
  report: string;
}

export function describeOpen(scan: ScanResult, tornMovedTo?: string): string {
  const base = `verified ${scan.records} records`;
  if (!scan.torn) return base;
  const t = scan.torn;
  return tornMovedTo
    ? `${base}; torn tail (line ${t.line}, ${t.bytes} bytes: ${t.reason}) moved to ${tornMovedTo}`
    : `${base}; torn tail at line ${t.line} (${t.bytes} bytes: ${t.reason}) — left in place (read-only)`;
}

export interface OpenOptions extends JournalOptions {
  readOnly?: boolean;
  /** Also sees every record as it is folded (e.g. a drill collecting what it already delivered). */
  onRecord?: (r: ScannedRecord) => void;
}

export async function openIncident(file: string, opts: OpenOptions = {}): Promise<OpenedIncident> {
  const tap = (fold: (r: ScannedRecord) => void) =>
    opts.onRecord ? (r: ScannedRecord) => (fold(r), opts.onRecord!(r)) : fold;
  if (opts.readOnly) {
    const store = createIncidentStore({ readOnly: true, file });
    const loader = createLoader(store);
    const scan = await scanJournal(file, tap(loader.onRecord));
    if (scan.failure) throw new JournalCorruptError(file, scan.failure.seq, scan.failure.line, scan.failure.reason);
    const report = describeOpen(scan);
    loader.finish({ health: { state: 'durable', records: scan.records, head: scan.head }, openReport: report });
    return { store, journal: undefined, scan, report };
  }
  // The store needs the journal, and the journal is only known after the fold: fold into a
  // detached loader first, then hand the result to the store bound to the journal.
  const staging = createIncidentStore({ readOnly: true });
  const loader = createLoader(staging);
  const { journal, scan, tornMovedTo } = await Journal.open(file, tap(loader.onRecord), opts);
  loader.finish();
  const report = describeOpen(scan, tornMovedTo);
  const store = createIncidentStore({ journal, file, openReport: report });
  const folded = staging.getState().state;
  store.setState({ state: folded, meta: { ...store.getState().meta, loadedSeq: folded.seq } });
  return { store, journal, scan, report };
}

export async function newIncident(
  file: string,
  opened: RecordData<'incident.opened'>,
  opts: JournalOptions = {},
): Promise<OpenedIncident> {
  // Create (exclusive, synced), then reopen through the one open path so a new incident and a
  // resumed one are folded the same way.
  await (await Journal.create(file, opened, opts)).close();
  return openIncident(file, opts);
}
