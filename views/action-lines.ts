// Pure text for the actions pane's rows: `(row, theme) → text and colour`.
// Target labels come from events, so they are attacker-controlled: safe() before the screen.

import type { ActionRow } from './action-rows.js';
import { alarming, statusLabel } from './action-rows.js';
import { hms, safe } from './format.js';
import type { Theme } from './theme.js';
import type { ActionState } from '../store/state.js';

export function actionLine(r: ActionRow): string {
  if (r.kind === 'offered') {
    const mark = r.def.evidence ? '◆' : r.def.destructive ? '!' : '·';
    const note = r.why ? `  [${r.why}]` : r.guard ? `  [${r.guard}]` : '';
    // The target's id, not its label: the pane title names the targets, and the reason must fit.
    return `[${safe(r.def.key)}] ${mark} ${safe(r.def.title)} — ${safe(r.target.id)}${note}`;
  }
  const a = r.action;
  const undo = a.planned.undoOf ? 'undo: ' : '';
  return `${statusLabel(r.status).padEnd(13)} ${hms(Date.parse(a.planned.ts))} ${undo}${safe(r.title)} — ${safe(a.planned.target.label)}${landedText(a)}`;
}

/** "landed in CloudTrail at HH:MM:SS (+Nm)": when the cloud's log showed the action's own call. */
export function landedText(a: ActionState): string {
  const l = a.landed;
  if (!l) return '';
  const from = Date.parse(a.started?.ts ?? a.planned.ts);
  const log = l.source === 'cloudtrail' ? 'CloudTrail' : 'the audit log';
  return ` · landed in ${log} at ${hms(l.discoveredAt)} (+${Math.max(0, Math.round((l.discoveredAt - from) / 60_000))}m)`;
}

export function actionColour(r: ActionRow, theme: Theme): string | undefined {
  if (r.kind === 'offered') return r.why ? theme.muted : r.guard ? theme.warn : undefined;
  if (alarming(r.status)) return theme.danger;
  return r.status === 'verified' ? theme.ok : undefined;
}
