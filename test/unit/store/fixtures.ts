// Shared fixtures for the store tests: realistic CloudTrail-shaped events, a temp-dir scope, and
// the "observable state" a responder sees, used to compare a live store with a refold from disk.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentEvent } from '../../../src/domain/event.js';
import type { Journal } from '../../../src/journal/journal.js';
import { openIncident } from '../../../store/open.js';
import {
  eventsAsOf,
  phaseAsOf,
  rolesAsOf,
  severityAsOf,
  suggestedSeverityAsOf,
  timelineAsOf,
} from '../../../store/selectors.js';
import type { IncidentState } from '../../../store/state.js';

export const OPENED = {
  incidentId: 'INC-2026-042',
  title: 'Anomalous reads from prod-data by the CI role',
  codename: 'EMBER QUARTZ',
  mode: 'live' as const,
};

export const CI_ROLE = 'arn:aws:sts::123456789012:assumed-role/ci-deployer/i-0abc123def4567890';

/** A deterministic, well-formed v4 UUID for event n. */
export function uuid(n: number): string {
  return `7f3c9a2e-51d4-4b8e-9c1a-${n.toString(16).padStart(12, '0')}`;
}

/** A CloudTrail GetObject data event as the CloudTrail source normalises it. */
export function cloudTrailEvent(n: number, over: Partial<IncidentEvent> = {}): IncidentEvent {
  const eventTime = new Date(Date.UTC(2026, 3, 20, 14, 30, n)).toISOString();
  // CloudTrail delivers minutes late: discovered 7 minutes after it happened.
  const discoveredAt = new Date(Date.UTC(2026, 3, 20, 14, 37, n)).toISOString();
  const key = `x`;
  return {
    source: 'cloudtrail',
    id: uuid(n),
    eventTime,
    discoveredAt,
    actor: CI_ROLE,
    action: 'GetObject',
    targets: [`arn:aws:s3:::prod-data/${key}`],
    region: 'us-east-1',
    sourceIp: '203.0.113.7',
    userAgent: '[aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64]',
    outcome: 'success',
    raw: {
      eventVersion: '1.09',
      eventTime,
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROA3EXAMPLEROLEID:i-0abc123def4567890',
        arn: CI_ROLE,
        accountId: '123456789012',
      },
      requestParameters: { bucketName: 'prod-data', key },
      readOnly: true,
      eventID: uuid(n),
      eventType: 'AwsApiCall',
      recipientAccountId: '123456789012',
    },
    ...over,
  };
}

export function keyOf(n: number): string {
  return `cloudtrail:${uuid(n)}`;
}

/** A temp dir per test plus the journals it opened; `cleanup` closes them and removes the dir. */
export function scratch(): {
  dir: () => string;
  file: (name?: string) => string;
  track: (j: Journal | undefined) => void;
  closeAll: () => Promise<void>;
  cleanup: () => Promise<void>;
  setup: () => void;
} {
  let dir = '';
  let journals: Journal[] = [];
  return {
    setup: () => {
      dir = mkdtempSync(join(tmpdir(), 'fb-store-'));
      journals = [];
    },
    dir: () => dir,
    file: (name = 'incident.jsonl') => join(dir, name),
    track: (j) => {
      if (j) journals.push(j);
    },
    closeAll: async () => {
      for (const j of journals.splice(0)) await j.close().catch(() => undefined);
    },
    cleanup: async () => {
      for (const j of journals.splice(0)) await j.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything a responder can see of the state, as plain data. */
export function observe(s: IncidentState) {
  const sev = severityAsOf(s);
  return {
    seq: s.seq,
    incident: s.incident,
    severity: sev?.value,
    severityReason: sev?.reason,
    phase: phaseAsOf(s),
    roles: Object.fromEntries([...rolesAsOf(s)].map(([role, c]) => [role, c.value.person])),
    roleHistory: s.roles.map((c) => [c.seq, c.value.role, c.value.person]),
    timeline: timelineAsOf(s, 0, Number.MAX_SAFE_INTEGER).map((e) => ({
      seq: e.seq,
      kind: e.kind,
      actor: e.actor,
      text: e.text,
      eventTime: e.eventTime,
    })),
    events: eventsAsOf(s, 0, Number.MAX_SAFE_INTEGER).map((e) => [
      e.seq,
      e.key,
      e.actor,
      e.action,
      e.target,
      e.scope,
      e.eventTime,
      e.offset,
      e.length,
    ]),
    eventCount: s.events.length,
    pins: [...s.pins.entries()].sort(),
    detections: s.detections.length,
    suggested: suggestedSeverityAsOf(s),
    detectedAt: s.detectedAt.map((c) => c.value),
    containedAt: s.containedAt.map((c) => c.value),
    resolvedAt: s.resolvedAt.map((c) => c.value),
    closed: s.closed.map((c) => c.value),
  };
}

/** Folds the journal on disk afresh (read-only: takes no lock, writes nothing). */
export async function refold(file: string): Promise<IncidentState> {
  const { store } = await openIncident(file, { readOnly: true });
  return store.getState().state;
}
