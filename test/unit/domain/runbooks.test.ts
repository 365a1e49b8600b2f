// The five bundled runbooks load and bind only to known actions; a broken runbook file is an
// error naming the file and the field; every runbook a detection names resolves to one of them.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../src/detections/index.js';
import {
  loadRunbooks,
  parseRunbook,
  runbookFor,
  runbooksDir,
  RUNBOOK_ACTION_IDS,
  suggestRunbook,
} from '../../../src/domain/runbooks.js';
import { listScenarios, loadScenario } from '../../../src/sources/drill/index.js';

describe('bundled runbooks', () => {
  const all = loadRunbooks();

  it('are the seed’s five, each with steps from triage to review and at least one bound action', () => {
    expect(all.map((r) => r.id)).toEqual([
      'credentials-leak',
      'ddos',
      'host-compromise',
      'insider-abuse',
      'public-bucket',
    ]);
    for (const rb of all) {
      expect(rb.whenToUse.length, rb.id).toBeGreaterThan(20);
      expect(
        rb.steps.some((s) => s.phase === 'triage'),
        rb.id,
      ).toBe(true);
      expect(
        rb.steps.some((s) => s.phase === 'containment'),
        rb.id,
      ).toBe(true);
      expect(
        rb.steps.some((s) => s.action),
        rb.id,
      ).toBe(true);
      for (const s of rb.steps) if (s.action) expect(RUNBOOK_ACTION_IDS).toContain(s.action);
    }
  });

  it('put evidence before destruction: in each runbook the first evidence step comes before the first containment action', () => {
    for (const rb of all) {
      const firstEvidence = rb.steps.findIndex((s) => s.phase === 'evidence' && s.action);
      const firstContain = rb.steps.findIndex((s) => s.phase === 'containment' && s.action);
      if (firstContain >= 0) expect(firstEvidence, rb.id).toBeLessThan(firstContain);
    }
  });

  it('cover every runbook named by the detection rules and the bundled scenarios', async () => {
    for (const rule of ALL_RULES)
      expect(runbookFor(rule.runbook, all)?.id, `${rule.id}: ${rule.runbook}`).toBeDefined();
    expect(runbookFor('data-exposure: put the block back', all)?.id).toBe('public-bucket');
    for (const s of await listScenarios()) {
      const sc = await loadScenario(s.name);
      for (const item of sc.items)
        if (item.kind === 'detection' && item.detection.runbook)
          expect(runbookFor(item.detection.runbook, all), item.detection.runbook).toBeDefined();
    }
  });

  it('suggest the runbook most detections point to', () => {
    expect(suggestRunbook(['host-compromise: capture', 'credentials-leak: x', 'host-compromise: y'], all)?.id).toBe(
      'host-compromise',
    );
    expect(suggestRunbook(['unknown-thing: z'], all)).toBeUndefined();
  });
});

describe('a broken runbook file', () => {
  const good = readFileSync(join(runbooksDir(), 'credentials-leak.yaml'), 'utf8');

  it('with an unknown action id is rejected, naming the file, the step and the id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-rb-'));
    writeFileSync(
      join(dir, 'credentials-leak.yaml'),
      good.replace('action: aws.deactivateKey', 'action: aws.deleteKey'),
    );
    const file = join(dir, 'credentials-leak.yaml');
    expect(() => loadRunbooks(dir)).toThrow(file);
    expect(() => loadRunbooks(dir)).toThrow(/steps\[\d+\]\.action: unknown action "aws\.deleteKey"/);
  });

  it('with a misspelt field, a duplicate step or an id that is not its file name is rejected', () => {
    expect(() => parseRunbook(good.replace('whenToUse:', 'whenTouse:'), '/x/credentials-leak.yaml')).toThrow(
      /credentials-leak\.yaml: .*whenTo/,
    );
    expect(() => parseRunbook(good.replace('id: deny-user', 'id: deny-role'), '/x/credentials-leak.yaml')).toThrow(
      /duplicate step id "deny-role"/,
    );
    expect(() => parseRunbook(good, '/x/other.yaml')).toThrow(/must match the file name "other"/);
    expect(() => parseRunbook(good.replace('phase: recovery', 'phase: recover'), '/x/credentials-leak.yaml')).toThrow(
      /phase/,
    );
  });
});
