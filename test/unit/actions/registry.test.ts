// The registry is the one list of actions: ids unique, keys unique per target kind (one key press
// must mean one action), every undo and evidence-first id resolves, and every action a runbook
// step names exists — a renamed action must fail here, not at 03:00 when the step's key does nothing.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../../../src/domain/target-kinds.js';
import { ACTION_DEFS, actionDef } from '../../../src/actions/registry.js';
import { RUNBOOK_ACTION_IDS } from '../../../src/domain/runbooks.js';
import { ACTION_IMPLEMENTATIONS } from '../../../src/actions/implementations.js';
import { ACTION_META } from '../../../src/actions/meta.js';

describe('action registry', () => {
  it('has unique ids and one action per key within a target kind', () => {
    const ids = ACTION_DEFS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const offered = ACTION_DEFS.filter((d) => !d.undoOnly);
    const keys = offered.map((d) => `${d.kind}:${d.key}`);
    expect(new Set(keys).size, keys.join(' ')).toBe(keys.length);
    // The actions pane's own keys (navigation, re-verify, undo, complete, focus, help, palette) always win, so
    // an action bound to one could never be pressed; inside the plan dialog d / o / y are taken, so
    // an evidence action (offered there as "capture first") must avoid them too.
    for (const d of offered) {
      expect(['j', 'k', 'v', 'u', 'C', 'q', '?', ':', '1', '2', '3', '4'], `${d.id} key ${d.key}`).not.toContain(d.key);
      if (d.evidence) expect(['d', 'o', 'y'], `${d.id} key ${d.key}`).not.toContain(d.key);
    }
  });

  it('keys are unique in every pane: whatever kinds an event names, no two offered actions share a key', () => {
    // An event may name several targets (a CloudTrail call: principal, key, instance; a pod event:
    // pod, node, namespace), and the pane offers each one's actions side by side: so the keys must be
    // unique across every pair of target kinds, not only within one.
    const offered = (k: string) => ACTION_DEFS.filter((d) => d.kind === k && !d.undoOnly);
    for (const a of TARGET_KINDS)
      for (const b of TARGET_KINDS) {
        const pane = a === b ? offered(a) : [...offered(a), ...offered(b)];
        const keys = pane.map((d) => d.key);
        expect(new Set(keys).size, `${a} + ${b}: ${pane.map((d) => `${d.key}=${d.id}`).join(' ')}`).toBe(keys.length);
      }
  });

  it('texts name the real key of the action they point to (derived from the metadata, not typed)', () => {
    const dir = fileURLToPath(new URL('../../../src/actions/', import.meta.url));
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      // "(k on the key)" with a literal letter: the key is typed by hand and drifts from meta.ts.
      expect(text, f).not.toMatch(/\([A-Za-z] on the \w+\)/);
      // "(aws.denyAllRole, d on the role)": the letter must be that action's key.
      for (const m of text.matchAll(/\(((?:aws|k8s|vault)\.\w+), ([A-Za-z]) on the/g))
        expect(actionDef(m[1]!)?.key, `${f}: ${m[0]}`).toBe(m[2]);
    }
  });

  it('giving access back is destructive: armed and typed confirmation', () => {
    for (const id of [
      'aws.reactivateKey',
      'aws.restoreRole',
      'aws.restoreUser',
      'aws.restoreInstance',
      'aws.restoreNacl',
    ])
      expect(actionDef(id)?.destructive, id).toBe(true);
  });

  it('every undo, evidence-first and runbook action id resolves, with the right shape', () => {
    for (const d of ACTION_DEFS) {
      if (d.undo) {
        expect(actionDef(d.undo), `${d.id} undo ${d.undo}`).toBeDefined();
        expect(actionDef(d.undo)!.undoOnly, `${d.undo} is an undo`).toBe(true);
        expect(actionDef(d.undo)!.kind).toBe(d.kind);
        expect(d.reversible).toBe(true);
      }
      for (const e of d.evidenceFirst ?? []) {
        expect(actionDef(e)?.evidence, `${d.id} evidence-first ${e}`).toBe(true);
        expect(actionDef(e)!.kind, `${e} applies to the same kind of target as ${d.id}`).toBe(d.kind);
      }
      if (d.destructive && !d.evidence) expect(d.evidence).toBe(false);
    }
    for (const id of RUNBOOK_ACTION_IDS) expect(actionDef(id), `runbook action ${id}`).toBeDefined();
  });

  it('the start-up table (meta.ts) says exactly what the implementations are', () => {
    const fields = [
      'id',
      'title',
      'key',
      'kind',
      'phase',
      'destructive',
      'reversible',
      'evidence',
      'evidenceFirst',
      'undo',
      'undoOnly',
      'needs',
      'permissions',
    ] as const;
    const pick = (d: object) =>
      Object.fromEntries(
        fields
          .filter((f) => (d as Record<string, unknown>)[f] !== undefined)
          .map((f) => [f, (d as Record<string, unknown>)[f]]),
      );
    expect(ACTION_META.map(pick)).toEqual(ACTION_IMPLEMENTATIONS.map(pick));
    const samples = [
      { kind: 'instance', id: 'i-0abc1234', label: '' },
      { kind: 'instance', id: 'sg-1', label: '' },
      { kind: 'access-key', id: 'ASIA5ATTACKEXAMPLE01', label: '' },
      { kind: 'access-key', id: 'AKIA5REPORTEXAMPLE01', label: '' },
    ] as const;
    const ctx = { mode: 'live' as const, armed: true, backends: new Set(['aws', 'kubernetes', 'vault'] as const) };
    ACTION_IMPLEMENTATIONS.forEach((d, i) => {
      const m = ACTION_META[i]!;
      expect(!!m.preconditions, `${d.id} preconditions`).toBe(!!d.preconditions);
      for (const t of samples)
        expect(m.preconditions?.(t, ctx), `${d.id} on ${t.id}`).toEqual(d.preconditions?.(t, ctx));
    });
  });

  it('offers every containment and evidence action the cockpit promises', () => {
    for (const id of [
      'k8s.isolateNamespace',
      'k8s.quarantinePod',
      'k8s.cordonNode',
      'k8s.capturePod',
      'aws.isolateInstance',
      'aws.denyAllRole',
      'aws.deactivateKey',
      'aws.snapshotVolumes',
      'aws.preserveCloudTrail',
      'aws.uploadEvidence',
      'vault.revokeLeases',
    ]) {
      expect(actionDef(id), id).toBeDefined();
    }
  });
});

describe('README action table', () => {
  it('lists exactly the registry (npm run keys regenerates it)', async () => {
    const { readFileSync } = await import('node:fs');
    const { withActionTable, ACTIONS_START } = await import('../../../src/actions/doc.js');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(ACTIONS_START);
    expect(withActionTable(readme), 'README.md action table is stale: run npm run keys').toBe(readme);
    for (const d of ACTION_DEFS.filter((x) => !x.undoOnly)) expect(readme).toContain(`\`${d.id}\``);
  });
});
