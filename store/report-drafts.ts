// The palette's report drafts (views/report-commands.ts parses them): the report is built from
// the store's state (store/report-facts.ts) and written beside the journal by src/reports/drafts.ts,
// so the views layer stays free of file I/O.

import { actionDef } from '../src/actions/registry.js';
import type { Audience } from '../src/reports/facts.js';
import {
  newestUpdateDraft,
  postmortemDraftPath,
  readDraft,
  updateDraftPath,
  writeDraft,
} from '../src/reports/drafts.js';
import { postmortemMarkdown } from '../src/reports/postmortem.js';
import { updateMarkdown } from '../src/reports/update.js';
import { reportFacts } from './report-facts.js';
import type { IncidentStore } from './store.js';

function facts(store: IncidentStore, nowMs: number) {
  const { state, meta } = store.getState();
  const catalog = (id: string) => {
    const d = actionDef(id);
    return d && { title: d.title, destructive: d.destructive, evidence: d.evidence };
  };
  return reportFacts(state, { now: new Date(nowMs), catalog, loadedSeq: meta.loadedSeq });
}

/** Writes the update draft for `audience` beside `journal`; resolves to its path. */
export async function writeUpdateDraft(
  store: IncidentStore,
  journal: string,
  audience: Audience,
  nowMs: number,
): Promise<string> {
  const path = updateDraftPath(journal, audience, nowMs);
  await writeDraft(path, updateMarkdown(facts(store, nowMs), audience));
  return path;
}

/** Writes the post-mortem draft beside `journal`; resolves to its path. */
export async function writePostmortemDraft(store: IncidentStore, journal: string, nowMs: number): Promise<string> {
  const path = postmortemDraftPath(journal, nowMs);
  await writeDraft(path, postmortemMarkdown(facts(store, nowMs)));
  return path;
}

/** Records the newest (edited) update draft for `audience` as sent: editing is not sending. */
export async function sendNewestUpdate(store: IncidentStore, journal: string, audience: Audience): Promise<void> {
  const path = await newestUpdateDraft(journal, audience);
  if (!path) throw new Error(`no ${audience} draft beside the journal: write one with :update ${audience}`);
  const markdown = await readDraft(path);
  if (!markdown.trim()) throw new Error(`${path} is empty: nothing recorded`);
  await store.getState().actions.recordUpdate({ audience, markdown });
}
