// Test doubles for the drill: a hand-stepped real-time source and scheduler (no sleeps), a
// recording sink, and a tiny scenario built in memory.

import type { Scheduler } from '../../../src/sources/drill/clock.js';
import type { IncidentEvent } from '../../../src/domain/event.js';
import type { DetectionData } from '../../../src/sources/drill/items.js';
import type { DrillSink } from '../../../src/sources/drill/runner.js';
import { parseScenario } from '../../../src/sources/drill/scenario-yaml.js';

/** Real time that moves only when the test says so. */
export function fakeTime(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A scheduler whose interval fires only when the test calls `fire()`. */
export function fakeScheduler(): Scheduler & {
  fire: () => void;
  active: () => boolean;
  intervalMs: () => number | undefined;
} {
  let fn: (() => void) | undefined;
  let ms: number | undefined;
  return {
    setInterval(f, interval) {
      fn = f;
      ms = interval;
      return 1;
    },
    clearInterval() {
      fn = undefined;
    },
    fire: () => fn?.(),
    active: () => fn !== undefined,
    intervalMs: () => ms,
  };
}

export type SinkCall =
  | { kind: 'ingest'; events: IncidentEvent[] }
  | { kind: 'detect'; detection: DetectionData }
  | { kind: 'inject'; id: string; text: string; simTime: string };

export function recordingSink(): DrillSink & { calls: SinkCall[]; events: () => IncidentEvent[] } {
  const calls: SinkCall[] = [];
  return {
    calls,
    events: () => calls.flatMap((c) => (c.kind === 'ingest' ? c.events : [])),
    async ingest(events) {
      calls.push({ kind: 'ingest', events: [...events] });
    },
    async detect(detection) {
      calls.push({ kind: 'detect', detection });
    },
    async inject(id, text, simTime) {
      calls.push({ kind: 'inject', id, text, simTime });
    },
  };
}

/** One CloudTrail-shaped entry, for scenarios written inside tests. */
export function ctEntry(id: string, at: string, extra = ''): string {
  return `  - at: "${at}"
${extra}    source: cloudtrail
    id: ${id}
    actor: arn:aws:iam::123456789012:user/alice
    action: GetObject
    targets: [arn:aws:s3:::prod-data/${id}]
    raw: { eventSource: s3.amazonaws.com, eventName: GetObject }
`;
}

export const HEADER = `title: Test drill
description: A scenario written by a test.
incident: { id: INC-2026-999, title: Test incident }
start: "2026-04-20T14:00:00Z"
`;

/**
 * A small drill: e1 at +1:00 delivered +6:00 (CloudTrail lag), e2 at +2:00 delivered +2:00,
 * e3 at +3:00 delivered +4:00, a detection on e1 at +6:30, an inject at +5:00.
 */
export function smallScenario() {
  return parseScenario(
    `${HEADER}events:
${ctEntry('e1', '+00:01:00', '    delay: "+00:05:00"\n    ref: first\n')}${ctEntry('e2', '+00:02:00')}${ctEntry('e3', '+00:03:00', '    delay: "+00:01:00"\n')}detections:
  - { at: "+00:06:30", ruleId: test.rule, title: Test detection, severity: 1, events: [first], why: because }
injects:
  - { at: "+00:05:00", id: legal, text: Legal asks a question }
`,
    '/virtual/small.yaml',
  );
}
