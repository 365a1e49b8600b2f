// An incident holding exactly N events, as the cockpit benches need it: gen-journal writes the
// bulk (CloudTrail-shaped events with notes, pins, a role and a severity among them, so the
// timeline pane has something to show), then the journal is opened for writing and topped up
// through the store's own ingestEvents until exactly N events are held. Notes are added until the
// timeline holds `minTimeline` entries, so a small incident fills the screen as a big one does (the
// 1k baseline must differ from the 100k run in events held, not in how much text is on screen).

import { join } from 'node:path';
import { openIncident } from '../dist/store/open.js';
import { generateJournal } from './gen-journal.js';
import { cloudTrailEvent, noteText } from './fixtures.js';
import { now } from './lib.js';

/** Writes `dir`/incident.jsonl holding exactly `events` events; resolves with the writable incident. */
export async function incidentWithEvents(dir, events, { minTimeline = 120, ...journalOpts } = {}) {
  const file = join(dir, 'incident.jsonl');
  const t0 = now();
  // gen-journal writes ~1 non-event record per 1,000; ask for a few more records than events.
  const counts = await generateJournal(file, Math.max(4, Math.floor(events * 0.998)));
  const genMs = now() - t0;
  const t1 = now();
  const opened = await openIncident(file, journalOpts);
  const openMs = now() - t1;
  const store = opened.store;
  let held = store.getState().state.events.length;
  if (held > events) throw new Error(`fixture: generated ${held} events, more than the ${events} asked for`);
  // gen-journal used cloudTrailEvent(0 … held-1); continue the same sequence.
  const t2 = now();
  for (let i = held; i < events; i += 5000) {
    const batch = [];
    for (let j = i; j < Math.min(events, i + 5000); j++) batch.push(cloudTrailEvent(j));
    await store.getState().actions.ingestEvents(batch);
  }
  held = store.getState().state.events.length;
  if (held !== events) throw new Error(`fixture: holds ${held} events, expected ${events}`);
  for (let i = store.getState().state.timeline.length; i < minTimeline; i++)
    await store.getState().actions.addNote(noteText(i));
  return { file, ...opened, genMs, openMs, topUpMs: now() - t2, generated: counts };
}
