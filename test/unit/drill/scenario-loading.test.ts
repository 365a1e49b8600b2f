// Loading and validating scenario files: facilitators write these by hand, so every mistake must
// come back as "file:line: path.of.field: what is wrong".

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveredItemId } from '../../../src/sources/drill/items.js';
import { listScenarios, loadScenario, packageRoot, ScenarioError } from '../../../src/sources/drill/scenario.js';
import { parseScenario } from '../../../src/sources/drill/scenario-yaml.js';
import { ctEntry, HEADER, smallScenario } from './helpers.js';

/** Writes `text` to a temp file and returns the error loading it throws. */
async function loadError(dir: string, text: string, name = 'broken.yaml'): Promise<ScenarioError> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const err = await loadScenario(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScenarioError);
  return err as ScenarioError;
}

describe('scenario loading', () => {
  let dir = '';
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'fb-drill-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('converts entries: eventTime = start + at, discoveredAt = at + delay, raw time and id filled in', () => {
    const s = smallScenario();
    const e1 = s.items.find((i) => i.id === 'cloudtrail:e1');
    expect(e1?.kind).toBe('event');
    if (e1?.kind !== 'event') return;
    expect(e1.event).toMatchObject({
      eventTime: '2026-04-20T14:01:00Z',
      discoveredAt: '2026-04-20T14:06:00Z',
      outcome: 'success',
      targets: ['arn:aws:s3:::prod-data/e1'],
    });
    expect(e1.event.raw).toMatchObject({ eventTime: '2026-04-20T14:01:00Z', eventID: 'e1', eventName: 'GetObject' });
    expect(e1.event).not.toHaveProperty('region');
    // Sorted by delivery: e2 (+2), e3 (+4), inject (+5), e1 (+6), the detection on e1 (+6:30).
    expect(s.items.map((i) => i.id)).toEqual([
      'cloudtrail:e2',
      'cloudtrail:e3',
      'inject:legal',
      'cloudtrail:e1',
      'detection:test.rule@cloudtrail:e1',
    ]);
    expect(s.endMs - s.startMs).toBe(390_000);
  });

  it('a detection refers to events by ref, full key or bare id, and severity accepts "Sev0"/"critical"', () => {
    const s = parseScenario(
      `${HEADER}events:\n${ctEntry('e1', '+00:00:10', '    ref: one\n')}${ctEntry('e2', '+00:00:20')}detections:
  - { at: "+00:01:00", ruleId: r, title: T, severity: Sev0, events: [one, cloudtrail:e2, e2], why: w }
  - { at: "+00:01:00", ruleId: r2, title: T, severity: critical, events: [e1], why: w }
`,
      '/virtual/refs.yaml',
    );
    const ds = s.items.flatMap((i) => (i.kind === 'detection' ? [i.detection] : []));
    expect(ds[0]).toMatchObject({ severity: 0, eventKeys: ['cloudtrail:e1', 'cloudtrail:e2', 'cloudtrail:e2'] });
    expect(ds[1]).toMatchObject({ severity: 0 });
  });

  it('a bare name resolves to the bundled assets/scenarios, found by walking up to package.json', async () => {
    expect(packageRoot()).toBe(join(import.meta.dirname, '..', '..', '..'));
    const s = await loadScenario('inc-2026-042');
    expect(s.file).toBe(join(packageRoot(), 'assets', 'scenarios', 'inc-2026-042.yaml'));
    expect(s.name).toBe('inc-2026-042');
  });

  it('an unknown bundled name lists the ones that exist; a path-like name is refused', async () => {
    await expect(loadScenario('no-such-drill')).rejects.toThrow(
      /^no-such-drill: no such bundled scenario; available: .*inc-2026-042/,
    );
    await expect(loadScenario('..')).rejects.toThrow(/not a scenario name/);
  });

  it('a malformed field names the file, the path of the field and its YAML line', async () => {
    const text = `${HEADER}events:\n${ctEntry('e1', '+00:00:10')}${ctEntry('e2', '+00:00:20', '    outcome: maybe\n')}`;
    const err = await loadError(dir, text);
    expect(err.file).toBe(join(dir, 'broken.yaml'));
    expect(err.field).toBe('events[1].outcome');
    expect(err.line).toBe(text.split('\n').findIndex((l) => l.includes('outcome: maybe')) + 1);
    expect(err.message).toMatch(new RegExp(`^${join(dir, 'broken.yaml')}:${err.line}: events\\[1\\]\\.outcome: `));
  });

  it('a misspelt key is an error, not silently ignored', async () => {
    const err = await loadError(dir, `${HEADER}evnets: []\nevents:\n${ctEntry('e1', '+00:00:10')}`);
    expect(err.message).toMatch(/evnets/);
    expect(err.line).toBe(5);
  });

  it('a missing field points at the entry that lacks it', async () => {
    const text = `${HEADER}events:\n${ctEntry('e1', '+00:00:10').replace(/ {4}actor: .*\n/, '')}`;
    const err = await loadError(dir, text);
    expect(err.field).toBe('events[0].actor');
    expect(err.line).toBe(6);
  });

  it('an ambiguous offset ("+01:30") is refused', async () => {
    const err = await loadError(dir, `${HEADER}events:\n${ctEntry('e1', '+01:30')}`);
    expect(err.field).toBe('events[0].at');
    expect(err.detail).toMatch(/hours:minutes:seconds/);
  });

  it('YAML syntax errors carry the line', async () => {
    const err = await loadError(dir, `${HEADER}events: [\n  - at: x\n`);
    expect(err.detail).toMatch(/^YAML: /);
    expect(err.line).toBeGreaterThanOrEqual(5);
  });

  it('a detection naming a missing event, or firing before its event is delivered, is refused', async () => {
    const missing = await loadError(
      dir,
      `${HEADER}events:\n${ctEntry('e1', '+00:00:10')}detections:\n  - { at: "+00:01:00", ruleId: r, title: T, severity: 1, events: [e9], why: w }\n`,
    );
    expect(missing.field).toBe('detections[0].events[0]');
    expect(missing.detail).toMatch(/no event with ref or id "e9"/);
    const early = await loadError(
      dir,
      `${HEADER}events:\n${ctEntry('e1', '+00:00:10', '    delay: "+00:05:00"\n')}detections:\n  - { at: "+00:01:00", ruleId: r, title: T, severity: 1, events: [e1], why: w }\n`,
    );
    expect(early.field).toBe('detections[0].at');
    expect(early.detail).toMatch(/only delivered at \+00:05:10/);
  });

  it('a branch on a missing ref, or on an event delivered after it, is refused', async () => {
    const missing = await loadError(
      dir,
      `${HEADER}events:\n${ctEntry('e1', '+00:00:10', '    ref: one\n')}${ctEntry('e2', '+00:01:00', '    when: { blocked: two }\n')}`,
    );
    expect(missing.field).toBe('events[1].when.blocked');
    expect(missing.detail).toMatch(/no event with ref "two"/);
    const later = await loadError(
      dir,
      `${HEADER}events:\n${ctEntry('e1', '+00:00:10', '    ref: one\n    delay: "+00:05:00"\n')}${ctEntry('e2', '+00:01:00', '    when: { allowed: one }\n')}`,
    );
    expect(later.field).toBe('events[1].when.allowed');
    expect(later.detail).toMatch(/delivered at or after this event/);
  });

  it('duplicate event ids and a raw time that disagrees with `at` are refused', async () => {
    const dup = await loadError(dir, `${HEADER}events:\n${ctEntry('e1', '+00:00:10')}${ctEntry('e1', '+00:00:20')}`);
    expect(dup.field).toBe('events[1].id');
    const text = `${HEADER}events:\n${ctEntry('e1', '+00:00:10').replace('eventName: GetObject }', 'eventName: GetObject, eventTime: "2026-04-20T14:30:00Z" }')}`;
    const conflict = await loadError(dir, text);
    expect(conflict.field).toBe('events[0].raw.eventTime');
    expect(conflict.detail).toMatch(/disagrees with the entry's at \(2026-04-20T14:00:10Z\)/);
  });

  it('listScenarios shows a broken file with its error instead of failing the whole list', async () => {
    writeFileSync(join(dir, 'good.yaml'), `${HEADER}events:\n${ctEntry('e1', '+00:00:10')}`);
    writeFileSync(join(dir, 'bad.yaml'), `${HEADER}events: []\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
    const list = await listScenarios(dir);
    expect(list.map((s) => s.name)).toEqual(['bad', 'good']);
    expect(list[1]).toMatchObject({ title: 'Test drill', description: 'A scenario written by a test.' });
    expect(list[0]!.error).toMatch(/bad\.yaml:\d+: events: a scenario needs at least one event/);
    expect(await listScenarios(join(dir, 'missing'))).toEqual([]);
  });

  it('deliveredItemId recognises the journal records a drill wrote, and nothing else', () => {
    const s = smallScenario();
    for (const item of s.items) {
      const rec =
        item.kind === 'event'
          ? { type: 'event.ingested' as const, data: { event: item.event } }
          : item.kind === 'detection'
            ? { type: 'detection.raised' as const, data: item.detection }
            : { type: 'drill.inject' as const, data: { id: item.injectId, text: item.text, simTime: item.simTime } };
      expect(deliveredItemId(rec)).toBe(item.id);
    }
    expect(deliveredItemId({ type: 'note.added', data: { text: 'x' } })).toBeUndefined();
  });
});
