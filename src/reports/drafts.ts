// Report drafts are plain Markdown files beside the journal: `<journal>.update-<audience>-<time>.md`
// and `<journal>.postmortem-<time>.md`. They are written once (`wx`: a draft the responder is
// editing is never overwritten) and edited outside firebreak; `:update-send` records the newest.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Audience } from './facts.js';

/** "20260420T154000Z": sortable, and safe in a file name everywhere. */
export function draftStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');
}

export const updateDraftPath = (journal: string, audience: Audience, ms: number): string =>
  `${journal}.update-${audience}-${draftStamp(ms)}.md`;
export const postmortemDraftPath = (journal: string, ms: number): string =>
  `${journal}.postmortem-${draftStamp(ms)}.md`;

/** Writes a new draft; fails (EEXIST) rather than overwrite one. */
export async function writeDraft(path: string, markdown: string): Promise<void> {
  try {
    await writeFile(path, markdown, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      `could not write ${path}${code === 'EEXIST' ? ': a draft of that name exists already' : code ? ` (${code})` : ''}`,
      { cause: e },
    );
  }
}

/** The newest update draft for `audience` beside the journal, if any. */
export async function newestUpdateDraft(journal: string, audience: Audience): Promise<string | undefined> {
  const prefix = `${basename(journal)}.update-${audience}-`;
  const names = (await readdir(dirname(journal))).filter((n) => n.startsWith(prefix) && n.endsWith('.md')).sort();
  const last = names.at(-1);
  return last === undefined ? undefined : join(dirname(journal), last);
}

export const readDraft = (path: string): Promise<string> => readFile(path, 'utf8');
