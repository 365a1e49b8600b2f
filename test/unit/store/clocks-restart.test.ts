// The regulatory clocks and the cadence come from the journal: reopening it (a restart) gives
// the same due times, decisions and next summary, to the millisecond.

import { describe, expect, it } from 'vitest';
import { newIncident, openIncident } from '../../../store/open.js';
import { cadenceAsOf, clocksAsOf, mostUrgentOpenClock } from '../../../store/clock-selectors.js';
import { tempDir } from '../../helpers/tmp.js';

const T0 = Date.parse('2026-04-20T14:40:00Z');
const H = 3_600_000;

describe('clocks survive a restart', () => {
  it('same due times, decisions and cadence after the journal is reopened', async () => {
    const file = `${tempDir()}/inc.jsonl`;
    let now = T0;
    const { store, journal } = await newIncident(
      file,
      { incidentId: 'INC-2026-042', title: 't', mode: 'live', detectedAt: '2026-04-20T14:32:00Z' },
      { now: () => new Date(now) },
    );
    const a = store.getState().actions;
    await a.flagPersonalData({
      awareAt: '2026-04-20T14:35:00Z',
      regimes: ['gdpr', 'hipaa', 'nis2', 'dora', 'sec'],
      note: 'customer exports read',
    });
    now += 10 * 60_000;
    await a.decideNotification({ regime: 'nis2', decision: 'no-notify', rationale: 'not an essential entity' });
    await a.setCadence(2);
    now += H;
    await a.recordUpdate({ audience: 'leadership', markdown: '## Incident Update' });
    const readAt = T0 + 5 * H;
    const before = clocksAsOf(store.getState().state, readAt);
    const cadenceBefore = cadenceAsOf(store.getState().state, readAt);
    await journal!.close();

    const reopened = await openIncident(file, { readOnly: true });
    const s = reopened.store.getState().state;
    const after = clocksAsOf(s, readAt);
    expect(after).toEqual(before);
    expect(cadenceAsOf(s, readAt)).toEqual(cadenceBefore);

    // And they are the right ones: NIS2 decided (out of the header), DORA's 4 h from the flag is next.
    expect(after.map((c) => c.id)).toEqual([
      'dora.initial',
      'nis2.early',
      'gdpr',
      'nis2.notification',
      'dora.intermediate',
      'sec',
      'nis2.final',
      'dora.final',
      'hipaa',
    ]);
    expect(new Date(after[0]!.dueMs).toISOString()).toBe('2026-04-20T18:40:00.000Z');
    expect(after.find((c) => c.id === 'nis2.early')!.decision?.value.rationale).toBe('not an essential entity');
    expect(mostUrgentOpenClock(after)?.id).toBe('dora.initial');
    expect(after[0]!.overdue).toBe(true);
    // Cadence 2 h from the leadership update at 15:50: due 17:50, overdue at 19:40.
    expect(cadenceBefore).toMatchObject({ hours: 2, since: 'update', dueMs: T0 + 70 * 60_000 + 2 * H, overdue: true });
  });

  it('the first summary is due N h after detection; resolving ends the cadence', async () => {
    const file = `${tempDir()}/inc.jsonl`;
    const { store, journal } = await newIncident(
      file,
      { incidentId: 'INC-2026-042', title: 't', mode: 'live', detectedAt: '2026-04-20T14:32:00Z' },
      { now: () => new Date(T0) },
    );
    expect(cadenceAsOf(store.getState().state, T0)).toMatchObject({
      hours: 3,
      since: 'detection',
      dueMs: Date.parse('2026-04-20T17:32:00Z'),
      overdue: false,
    });
    await store.getState().actions.updateIncident({ resolvedAt: '2026-04-20T16:00:00Z' });
    expect(cadenceAsOf(store.getState().state, T0 + 10 * H)).toBeUndefined();
    await journal!.close();
  });
});
