// The runbook overlay (`b`, `:runbook ID`): the checklist with each step's status from the
// journal's runbook.step records, the selected step's full text and the action it binds to.

import { Text } from 'ink';
import { phaseName } from '../../src/domain/phases.js';
import { RUNBOOK_ACTIONS, type Runbook } from '../../src/domain/runbooks.js';
import { progressOf, stepViews } from '../../store/runbook-selectors.js';
import type { IncidentState } from '../../store/state.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { wrapLines } from '../format.js';

const MARK = { done: '[x]', skipped: '[-]', open: '[ ]' } as const;

/** The title line: "Runbook: Credentials leak — 3/14 done, 1 skipped". */
export function runbookTitle(rb: Runbook, s: IncidentState, asOf = s.seq): string {
  const p = progressOf(stepViews(s, rb, asOf));
  return `Runbook: ${rb.title} — ${p.done}/${p.total} done${p.skipped ? `, ${p.skipped} skipped` : ''}`;
}

/** The rows: one per step, then the selected step's detail (pure, for tests and the view). */
export function runbookLines(
  rb: Runbook,
  s: IncidentState,
  sel: number,
  width: number,
  rows: number,
  asOf = s.seq,
): string[] {
  const views = stepViews(s, rb, asOf);
  const list = rb.steps.map((st, i) => {
    const mark = MARK[views[i]!.status];
    const act = st.action ? ` -> ${st.action}` : '';
    return (
      `${i === sel ? '›' : ' '}${mark} ${String(i + 1).padStart(2)} ${phaseName(st.phase).padEnd(11).slice(0, 11)} ${st.text}`.slice(
        0,
        Math.max(10, width - act.length),
      ) + act
    );
  });
  const st = rb.steps[sel];
  const detail: string[] = [];
  if (st) {
    const v = views[sel]!;
    detail.push('', ...wrapLines([`${st.id}: ${st.text}`], width));
    if (st.action) detail.push(`action ${st.action} — target: ${RUNBOOK_ACTIONS[st.action]}`);
    if (v.by) detail.push(`${v.status} by ${v.by} at ${v.at}${v.via ? ` (${v.via})` : ''}`);
  }
  // The detail stays visible: the list scrolls to keep the selection in the rows left over.
  const room = Math.max(1, rows - detail.length);
  const start = Math.max(0, Math.min(sel - Math.floor(room / 2), list.length - room));
  return [...list.slice(start, start + room), ...detail].slice(0, rows);
}

export function RunbookBody({ rb, sel, width, rows }: { rb: Runbook; sel: number; width: number; rows: number }) {
  const { mode } = useDeps();
  const state = useIncident((s) => s.state);
  const asOf = useUi((u) => u.asOf) ?? state.seq;
  const lines = runbookLines(rb, state, sel, width, rows, mode === 'review' ? asOf : state.seq);
  return (
    <>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate" inverse={l.startsWith('›')}>
          {l || ' '}
        </Text>
      ))}
    </>
  );
}
