// Escape injection, end to end through the real Ink renderer:
// every known payload, planted in the fields an attacker controls, is rendered into a fake TTY;
// the bytes written may contain only the cockpit's own colour and cursor sequences.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { newIncident } from '../../store/open.js';
import type { IncidentEvent } from '../../src/domain/event.js';
import { PAYLOADS } from '../fixtures/escape-payloads.js';
import { mountRaw } from './raw-cockpit.js';

const dir = mkdtempSync(join(tmpdir(), 'fb-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Ink itself writes: SGR colours, cursor moves/erases, private modes (cursor, sync output). */
const OWN_SEQUENCES = /\u001b\[[0-9;?]*[mKABCDGHJhl]/g;

function event(i: number, payload: string): IncidentEvent {
  return {
    source: 'cloudtrail',
    id: `evil-${i}`,
    eventTime: new Date(Date.UTC(2026, 3, 20, 14, 0, i)).toISOString(),
    discoveredAt: new Date(Date.UTC(2026, 3, 20, 14, 5, i)).toISOString(),
    actor: `arn:aws:iam::123456789012:user/${payload}`,
    action: `Get${payload}Object`,
    targets: [`arn:aws:s3:::bucket/${payload}`],
    region: 'us-east-1',
    sourceIp: payload,
    userAgent: payload,
    outcome: 'failure',
    errorCode: payload,
    raw: { userAgent: payload, requestParameters: { key: payload } },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 15));

it(`≥ 60 injection payloads in event fields and notes leave only the app's own sequences`, async () => {
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(60);
  const file = join(dir, 'j.jsonl');
  const { store, journal } = await newIncident(file, { incidentId: 'INC-2026-042', title: 'bytes', mode: 'live' });
  await store.getState().actions.ingestEvents(PAYLOADS.map(([, p], i) => event(i, p)));
  for (const [, p] of PAYLOADS.slice(0, 10)) await store.getState().actions.addNote(`quoting the attacker: ${p}`);

  const raw = mountRaw(store, file, { cols: 200, rows: 50, now: Date.UTC(2026, 3, 20, 14, 10) });
  const { stdin } = raw;
  // Show every event row (page through from the top), the detail view of a few, and the timeline.
  await tick();
  stdin.write('g');
  for (let i = 0; i < 6; i++) {
    await tick();
    stdin.write('\u001b[6~');
  }
  for (const n of [0, 9, 30, 59]) {
    await tick();
    stdin.write('g');
    for (let k = 0; k < n; k++) stdin.write('j');
    await tick();
    stdin.write('\r');
    await new Promise((r) => setTimeout(r, 60));
    stdin.write('\u001b');
  }
  await tick();
  stdin.write('2');
  await tick();
  raw.unmount();
  await journal!.close();

  // The payloads did reach the screen — as visible text.
  expect(raw.written()).toContain('␛]0;pwned␇');
  expect(raw.written()).toContain('<U+202E>');
  const rest = raw.written().replace(OWN_SEQUENCES, '');
  const esc = rest.indexOf('\u001b');
  expect(esc, `raw ESC at …${JSON.stringify(rest.slice(Math.max(0, esc - 20), esc + 20))}…`).toBe(-1);
  // No other control character (but newline), no C1, no bidi control, no invisible or tag character.
  expect(rest).not.toMatch(
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/,
  );
  expect(rest).not.toMatch(/[\u{e0000}-\u{e007f}]/u);
});
