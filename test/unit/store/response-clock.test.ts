// The response clock (severity SLA) counts from detection or the severity call, never from when
// the journal was opened: a drill opens before the attack, and a Sev0 set then read
// "RESPONSE OVERDUE 12m15s" the instant it was set.

import { afterEach, describe, expect, it } from 'vitest';
import { responseDeadline } from '../../../src/domain/severity.js';
import { responseStartMsAsOf } from '../../../store/clock-selectors.js';
import { newIncident } from '../../../store/open.js';
import { tempDir } from '../../helpers/tmp.js';

const OPEN = Date.parse('2026-04-20T14:00:00Z');
const MIN = 60_000;
let close: (() => Promise<void>) | undefined;
afterEach(async () => void (await close?.()));

async function journal() {
  let at = OPEN;
  const { store, journal } = await newIncident(
    `${tempDir()}/drill.jsonl`,
    { incidentId: 'INC-2026-042', title: 'Drill', mode: 'drill', scenario: 'inc-2026-042' },
    { actor: 'alice', now: () => new Date(at) },
  );
  close = async () => void (await journal?.close());
  return { store, a: store.getState().actions, at: (m: number) => void (at = OPEN + m * MIN) };
}

describe('response clock', () => {
  it('a Sev0 set 27 minutes after opening, with no detection, counts from the severity call', async () => {
    const j = await journal();
    j.at(27);
    await j.a.setSeverity(0, 'exfiltration seen in the feed');
    const s = j.store.getState().state;
    expect(responseStartMsAsOf(s)).toBe(OPEN + 27 * MIN);
    expect(responseDeadline(1, responseStartMsAsOf(s)!)).toBe(OPEN + 87 * MIN);
  });

  it('counts the first severity from the first detection, a re-classification from the change', async () => {
    const j = await journal();
    j.at(20);
    await j.a.raiseDetection({ ruleId: 'r', title: 'T', severity: 1, eventKeys: [], why: 'x' }, 'drill');
    j.at(25);
    await j.a.setSeverity(1, 'leaked key');
    expect(responseStartMsAsOf(j.store.getState().state)).toBe(OPEN + 20 * MIN);
    j.at(90);
    await j.a.setSeverity(0, 'now exfiltrating');
    expect(responseStartMsAsOf(j.store.getState().state)).toBe(OPEN + 90 * MIN);
  });

  it('has no clock before a severity is set', async () => {
    const j = await journal();
    expect(responseStartMsAsOf(j.store.getState().state)).toBeUndefined();
  });
});
