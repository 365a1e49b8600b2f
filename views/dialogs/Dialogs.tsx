// The transient layers: help, pickers, text inputs, the palette, detail views, the quit prompt.
// Each renders in the body area (Ink has no z-order) and Esc closes every one of them.

import { Text } from 'ink';
import { Table } from '@alcalzone/ink-table';
import { PHASES, type PhaseId } from '../../src/domain/phases.js';
import { phaseChecklist, phaseProgress } from '../../store/phase-progress.js';
import type { IncidentState } from '../../store/state.js';
import { ROLES } from '../../src/domain/roles.js';
import { SEVERITIES } from '../../src/domain/severity.js';
import { completions, paletteFor } from '../palette.js';
import { paletteExtra } from '../palette-context.js';
import { safe } from '../format.js';
import { helpRows } from '../help-rows.js';
import { rosterItems } from '../roster.js';
import { useDeps, useIncident, useUi } from '../context.js';
import { useNow } from '../use-now.js';
import { TableHeading } from '../components/TableHeading.js';
import { Frame, Input } from './Frame.js';
import { PlanView } from './PlanDialog.js';
import { BundleView } from './BundleDialog.js';
import { ArmView } from './ArmDialog.js';
import type { Dialog, FieldTree } from '../ui-state.js';
import { fieldRows } from '../field-tree.js';
import { treeWidth } from '../field-tree-keys.js';
import { ClocksBody, clockLines } from './ClocksDialog.js';
import { metricsLines } from '../metrics-view.js';
import { sharedLines } from '../shared-view.js';
import { RunbookBody, runbookTitle } from './RunbookDialog.js';
import { bundledRunbooks } from '../../src/domain/runbooks.js';

interface Props {
  dialog: Dialog;
  width: number;
  height: number;
}

export { helpRows };

/** "Containment  1/3 done": a phase with its checklist's progress from the journal (phase-progress.ts). */
function phasePickerItem(state: IncidentState, id: PhaseId, name: string): string {
  const p = phaseProgress(phaseChecklist(state, id));
  return p.of ? `${name.padEnd(22)} ${p.done}/${p.of} done` : name;
}

function Picker({ items, sel }: { items: string[]; sel: number }) {
  return (
    <>
      {items.map((t, i) => (
        <Text key={i} wrap="truncate" inverse={i === sel}>
          {`${i === sel ? '›' : ' '} ${i}  ${t}`}
        </Text>
      ))}
    </>
  );
}

export function DialogView({ dialog: d, width, height }: Props) {
  const deps = useDeps();
  const { mode, readOnly } = deps;
  const state = useIncident((s) => s.state);
  const inner = Math.max(1, height - 4);
  switch (d.kind) {
    case 'help': {
      const rows = helpRows(mode, readOnly);
      return (
        <Frame
          title={`Keys (${mode}) — ${rows.length} lines`}
          width={width}
          height={height}
          footer="j/k PgUp/PgDn scroll · Esc, ? or q close"
        >
          {rows.slice(d.top, d.top + inner).map((r, i) => (
            <Text key={i} wrap="truncate">
              {r}
            </Text>
          ))}
        </Frame>
      );
    }
    case 'quit':
      return (
        <Frame
          title="Quit firebreak?"
          width={width}
          height={Math.min(height, 6)}
          footer="y quits · any other key stays"
        >
          <Text wrap="truncate">Everything is already on disk; the journal re-opens where you left it.</Text>
        </Frame>
      );
    case 'severity':
      return (
        <Frame title="Set the severity" width={width} height={height} footer="↑/↓ or 0-3, Enter sets · Esc cancels">
          <Picker
            items={SEVERITIES.map((s) => `${s.code} ${s.name.padEnd(8)} ${s.response.padEnd(18)} ${s.criteria}`)}
            sel={d.sel}
          />
          {width >= 100 && inner >= 16 ? (
            <Table
              data={SEVERITIES.map((s) => ({
                level: `${s.code} ${s.name}`,
                criteria: s.criteria,
                response: s.response,
              }))}
              header={TableHeading}
            />
          ) : null}
        </Frame>
      );
    case 'phase':
      return (
        <Frame title="Set the phase" width={width} height={height} footer="↑/↓ or 0-7, Enter sets · Esc cancels">
          <Picker items={PHASES.map((p) => phasePickerItem(state, p.id, p.name))} sel={d.sel} />
        </Frame>
      );
    case 'role':
      return (
        <Frame
          title="Roles — choose one to assign or hand over"
          width={width}
          height={height}
          footer={
            d.stage === 'role'
              ? '↑/↓ or a number, Enter chooses · Esc cancels'
              : 'type the person, Enter assigns · Esc cancels'
          }
        >
          {d.stage === 'role' ? (
            <Picker items={rosterItems(state, state.seq)} sel={d.sel} />
          ) : (
            <Input label={`${ROLES[d.sel]!.name}:`} text={d.text} />
          )}
        </Frame>
      );
    case 'note':
      return (
        <Frame
          title="Add a note (UTC time and your name are recorded)"
          width={width}
          height={Math.min(height, 5)}
          footer="Enter records · Esc cancels"
        >
          <Input label="note:" text={d.text} />
        </Frame>
      );
    case 'filter':
      return (
        <Frame
          title={`Filter the ${d.pane}`}
          width={width}
          height={Math.min(height, 5)}
          footer="applies as you type · Enter keeps · Esc closes (Esc again on the pane clears)"
        >
          <Input label="/" text={d.text} />
        </Frame>
      );
    case 'jump':
      return (
        <Frame
          title="Show the incident as of a time (UTC)"
          width={width}
          height={Math.min(height, 5)}
          footer="HH:MM, HH:MM:SS or ISO · Enter jumps · Esc cancels"
        >
          <Input label="time:" text={d.text} />
        </Frame>
      );
    case 'palette': {
      const cands = completions(d.text, mode, readOnly, paletteExtra(deps));
      const cmds = paletteFor(mode, readOnly);
      const shown = cands.length ? cands : cmds.map((c) => c.name);
      return (
        <Frame
          title="Command"
          width={width}
          height={height}
          footer="Tab completes · ↑↓ history · Enter runs · Esc cancels"
        >
          <Input label=":" text={d.text} />
          {shown.slice(0, inner - 1).map((c, i) => {
            const cmd = cmds.find((x) => x.name === c.split(' ')[0]);
            return (
              <Text
                key={i}
                dimColor
                wrap="truncate"
              >{`  ${c}${cmd && !c.includes(' ') ? ` ${cmd.args} — ${cmd.description}` : ''}`}</Text>
            );
          })}
        </Frame>
      );
    }
    case 'clocks':
      return <ClocksDialog top={d.top} width={width} height={height} />;
    case 'metrics':
      return <MetricsDialog top={d.top} width={width} height={height} />;
    case 'shared':
      return <SharedDialog top={d.top} width={width} height={height} />;
    case 'runbook':
      return <RunbookDialog id={d.id} sel={d.sel} width={width} height={height} />;
    case 'plan':
      return <PlanView d={d} width={width} height={height} />;
    case 'bundle':
      return <BundleView d={d} width={width} height={height} />;
    case 'arm':
      return <ArmView d={d} width={width} height={height} />;
    case 'detail':
      if (d.tree) return <TreeView d={{ ...d, tree: d.tree }} width={width} height={height} />;
      return (
        <Frame
          title={safe(d.title)}
          width={width}
          height={height}
          footer={`lines ${d.top + 1}-${Math.min(d.lines.length, d.top + inner)} of ${d.lines.length} · ${d.events?.length ? 'Tab picks an event · Enter jumps · ' : ''}j/k PgUp/PgDn g/G scroll · Esc closes`}
        >
          {d.lines.slice(d.top, d.top + inner).map((l, i) => {
            // The picked linked event (Tab) is marked where its line names its key.
            const picked = d.eventSel !== undefined && l.includes(`(${d.events?.[d.eventSel] ?? '\0'})`);
            return (
              <Text key={i} wrap="truncate" inverse={picked}>
                {picked ? `▸${safe(l).slice(1)}` : safe(l) || ' '}
              </Text>
            );
          })}
        </Frame>
      );
  }
}

function TreeView({
  d,
  width,
  height,
}: {
  d: Extract<Dialog, { kind: 'detail' }> & { tree: FieldTree };
  width: number;
  height: number;
}) {
  const inner = Math.max(1, height - 4);
  const rows = fieldRows(d.tree.value, new Set(d.tree.toggled), treeWidth(width), d.tree.all);
  const sel = Math.min(d.tree.sel, rows.length - 1);
  return (
    <Frame
      title={safe(d.title)}
      width={width}
      height={height}
      footer={`row ${sel + 1}/${rows.length} · j/k · Enter fold/open · o all · y copy · Esc close`}
    >
      {rows.slice(d.top, d.top + inner).map((r, i) => (
        <Text key={d.top + i} wrap="truncate" inverse={d.top + i === sel}>
          {(d.top + i === sel ? '>' : ' ') + safe(r.text)}
        </Text>
      ))}
    </Frame>
  );
}

// The two comms dialogs subscribe to the incident and the clock themselves, so the other dialogs
// do not repaint every second.
function ClocksDialog({ top, width, height }: { top: number; width: number; height: number }) {
  const { mode } = useDeps();
  const state = useIncident((s) => s.state);
  const asOf = useUi((u) => u.asOf) ?? state.seq;
  const now = useNow();
  const inner = Math.max(1, height - 4);
  const lines = clockLines(state, mode === 'review' ? (state.recordTimes.at(asOf - 1) ?? now) : now, width - 4, asOf);
  return (
    <Frame
      title="Clocks and cadence"
      width={width}
      height={height}
      footer={`lines ${top + 1}-${Math.min(lines.length, top + inner)} of ${lines.length} · j/k scroll · Esc closes`}
    >
      <ClocksBody lines={lines} top={top} rows={inner} />
    </Frame>
  );
}

/** `M`: the incident's pace, redrawn as the journal grows and the clock runs. */
function MetricsDialog({ top, width, height }: { top: number; width: number; height: number }) {
  const deps = useDeps();
  const state = useIncident((s) => s.state);
  const now = useNow();
  const inner = Math.max(1, height - 4);
  const lines = metricsLines(state, new Date(deps.mode === 'review' ? deps.now() : now), width - 4);
  return (
    <Frame
      title="Metrics"
      width={width}
      height={height}
      footer={`lines ${top + 1}-${Math.min(lines.length, top + inner)} of ${lines.length} · live · j/k scroll · Esc closes`}
    >
      <ClocksBody lines={lines} top={top} rows={inner} />
    </Frame>
  );
}

/** `:shared`: every writer's timeline as the last sync merged it; redrawn as rounds land. */
function SharedDialog({ top, width, height }: { top: number; width: number; height: number }) {
  const deps = useDeps();
  // The share's rounds notify the sources; the clock tick redraws between them.
  useNow();
  const merged = deps.shared?.();
  const inner = Math.max(1, height - 4);
  const lines = merged ? sharedLines(merged, width - 4) : ['not a shared incident'];
  const from = Math.max(0, Math.min(top, lines.length - inner));
  return (
    <Frame
      title={`Shared incident — ${merged?.writers.length ?? 0} writer(s)`}
      width={width}
      height={height}
      footer={`lines ${from + 1}-${Math.min(lines.length, from + inner)} of ${lines.length} · live · j/k scroll · Esc closes`}
    >
      <ClocksBody lines={lines} top={from} rows={inner} />
    </Frame>
  );
}

function RunbookDialog({ id, sel, width, height }: { id: string; sel: number; width: number; height: number }) {
  const { mode } = useDeps();
  const state = useIncident((s) => s.state);
  const asOf = useUi((u) => u.asOf) ?? state.seq;
  const rb = bundledRunbooks().find((r) => r.id === id);
  if (!rb) return null;
  const keys =
    mode === 'review' ? 'j/k move · Esc closes' : 'j/k move · x done · s skip · Enter opens the action · Esc closes';
  return (
    <Frame title={runbookTitle(rb, state, asOf)} width={width} height={height} footer={keys}>
      <RunbookBody rb={rb} sel={sel} width={width - 4} rows={Math.max(1, height - 4)} />
    </Frame>
  );
}
