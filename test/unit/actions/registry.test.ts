// The registry is the one list of actions: ids unique, keys unique per target kind (one key press
// must mean one action), every undo and evidence-first id resolves, and every action a runbook
// step names exists — a renamed action must fail here, not at 03:00 when the step's key does nothing.

import { describe, expect, it } from 'vitest';
import { ACTION_DEFS, actionDef } from '../../../src/actions/registry.js';
import { RUNBOOK_ACTION_IDS } from '../../../src/domain/runbooks.js';

describe('action registry', () => {
  it('has unique ids and one action per key within a target kind', () => {
    const ids = ACTION_DEFS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const offered = ACTION_DEFS.filter((d) => !d.undoOnly);
    const keys = offered.map((d) => `${d.kind}:${d.key}`);
    expect(new Set(keys).size, keys.join(' ')).toBe(keys.length);
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

  it('covers what issue #5 asks for', () => {
    for (const id of ['k8s.isolateNamespace', 'k8s.quarantinePod', 'k8s.cordonNode', 'k8s.capturePod', 'aws.isolateInstance', 'aws.denyAllRole', 'aws.deactivateKey', 'aws.snapshotVolumes', 'aws.preserveCloudTrail', 'aws.uploadEvidence', 'vault.revokeLeases']) {
      expect(actionDef(id), id).toBeDefined();
    }
  });
});
