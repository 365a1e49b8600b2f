// `:shared`: the merged shared incident inside a live cockpit (live --share). The panes fold this
// cockpit's own journal; this view is every writer's timeline as the last sync merged it
// (store/merged.ts), newest last, each line naming its writer, under the merge's report line
// (writers, conflicts, refused segments).

import type { MergedIncident } from '../store/merged.js';
import { fitCell, hms, KIND_TAGS, safe } from './format.js';
import { setUi, type KeyContext } from './key-effects.js';

export function sharedLines(m: MergedIncident, cols: number): string[] {
  const s = m.store.getState().state;
  const entries = Array.from({ length: s.timeline.length }, (_, i) => s.timeline.at(i)!);
  const who = Math.min(24, Math.max(6, ...entries.map((t) => t.actor.length)));
  return [
    ...m.report.split('; ').map((l, i) => fitCell(`${i ? '  ' : ''}${safe(l)}`, cols)),
    '',
    ...entries.map((t) =>
      fitCell(
        `${hms(Date.parse(t.ts))} ${KIND_TAGS[t.kind]} ${fitCell(safe(t.actor), who).padEnd(who)} ${safe(t.text)}`,
        cols,
      ),
    ),
  ];
}

/** `:shared`: opens the merged view, scrolled to its newest lines. */
export function openShared(ctx: KeyContext): void {
  setUi(ctx, { dialog: { kind: 'shared', top: Number.MAX_SAFE_INTEGER } });
}
