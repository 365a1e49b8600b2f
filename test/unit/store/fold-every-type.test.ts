// The fold has a case for every record type the journal accepts. The sample list below is checked
// against the schema's own type list (RECORD_TYPES), so a type added to src/journal/records.ts
// fails here until it has a sample — and folding that sample throws until store/apply.ts has a
// case for it, instead of being skipped in silence (a skipped record is a fact the cockpit,
// the review and the post-mortem never show).

import { describe, expect, it } from 'vitest';
import {
  RECORD_TYPES,
  validateData,
  type AnyRecord,
  type RecordData,
  type RecordType,
} from '../../../src/journal/records.js';
import type { ScannedRecord } from '../../../src/journal/scan.js';
import { apply, applyAll } from '../../../store/apply.js';
import { emptyState, type IncidentState } from '../../../store/state.js';
import { cloudTrailEvent, keyOf, OPENED } from './fixtures.js';

const ACT = 'act-mdx1k2-0a1b2c3d';
const SHA = 'a'.repeat(64);
const T = '2026-04-20T14:40:00.000Z';
const TARGET = { kind: 'pod', id: 'prod/web-1', label: 'pod prod/web-1' };

/** One valid record of every type, in an order that makes sense to fold (planned before started…). */
const SAMPLES: { [K in RecordType]: RecordData<K> } = {
  'incident.opened': { ...OPENED, detectedAt: T },
  'incident.updated': { containedAt: T },
  'severity.set': { level: 1, reason: 'compromised credentials' },
  'phase.set': { phase: 'containment' },
  'role.assigned': { role: 'ic', person: 'alice' },
  'note.added': { text: 'paged the on-call' },
  'event.ingested': { event: cloudTrailEvent(1) },
  'event.pinned': { key: keyOf(1), comment: 'first read' },
  'detection.raised': {
    ruleId: 'aws.s3.read-volume',
    title: 'Unusual GetObject volume',
    severity: 1,
    eventKeys: [keyOf(1)],
    why: '500 reads in 1 min',
  },
  'session.armed': { target: 'cluster prod', confirmedName: 'prod' },
  'session.disarmed': { target: 'prod', session: 's-1', reason: 'expired' },
  'session.closed': { reason: 'end of shift' },
  checkpoint: { records: 11, head: SHA },
  'drill.inject': { id: 'inj-1', text: 'Legal asks whether PII was read', simTime: T },
  'action.planned': {
    actionId: ACT,
    action: 'k8s.quarantinePod',
    target: TARGET,
    params: { pod: 'web-1' },
    paramsHash: SHA,
    calls: [],
    blastRadius: [],
    warnings: [],
  },
  'action.dryrun': { actionId: ACT, kind: 'server', ok: true, message: 'accepted', requestIds: [] },
  'action.confirmed': { actionId: ACT, paramsHash: SHA },
  'action.started': { actionId: ACT, paramsHash: SHA, idempotencyToken: ACT },
  'action.captured': { actionId: ACT, outputs: { previousLabels: { app: 'web' } } },
  'action.call': { actionId: ACT, service: 'kubernetes', op: 'PATCH pods/web-1', ok: true, status: 200 },
  'action.succeeded': { actionId: ACT, requestIds: ['r-1'], outputs: {}, message: 'quarantined' },
  'action.failed': {
    actionId: 'act-mdx1k2-ffffffff',
    action: 'k8s.capturePod',
    target: TARGET,
    stage: 'plan',
    requestIds: [],
    message: 'forbidden',
  },
  'action.verified': { actionId: ACT, ok: true, detail: 'labels read back' },
  'exfiltration.flagged': { active: true, reason: 'egress to 203.0.113.9' },
  'evidence.recorded': {
    evidenceId: 'EV-001',
    path: '/tmp/ev/pod.json',
    sha256: SHA,
    size: 10,
    source: 'pod prod/web-1 spec',
    description: 'pod spec',
    collector: 'alice',
    toolVersion: '0.1.0',
    collectedAt: T,
  },
  'custody.transferred': { evidenceId: 'EV-001', from: 'alice', to: 'forensics' },
  'update.recorded': { audience: 'leadership', markdown: '## Incident Update' },
  'cadence.set': { hours: 2 },
  'personal-data.flagged': { awareAt: T, regimes: ['gdpr'] },
  'notification.decided': { regime: 'gdpr', decision: 'notify', rationale: 'customer emails were read' },
  'action-item.added': { itemId: 'AI-1', text: 'rotate the CI role', owner: 'bob', due: '2026-05-01' },
  'action-item.updated': { itemId: 'AI-1', status: 'done' },
  'postmortem.updated': { field: 'summary', text: 'A leaked CI key read prod-data.' },
  'runbook.step': { runbook: 'credentials-leak', step: 'preserve', status: 'done' },
  'share.writer': { writerId: 'alice-3f9c2a1b' },
  'approval.policy': { require: 'destructive', ttlMinutes: 15 },
  'approval.requested': {
    requestId: 'apr-mdx1k2-0a1b',
    actionId: ACT,
    action: 'k8s.quarantinePod',
    targetLabel: 'pod prod/web-1',
    planHash: SHA,
  },
  'approval.decided': { requestId: 'apr-mdx1k2-0a1b', decision: 'approved', planHash: SHA },
  'drill.scored': { scenario: 'leaked-key', metrics: [], passed: 0, total: 0 },
  'hunt.ran': {
    engine: 'lake',
    source: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds-1',
    query: "SELECT eventID FROM eds-1 WHERE eventTime >= '2026-04-20 00:00:00'",
    queryId: 'q-1',
    state: 'succeeded',
    bytesScanned: 1024,
    costUsd: 0.000000005,
    rows: 3,
    newEvents: 2,
    problems: 0,
  },
};

function placed(seq: number, type: RecordType, data: unknown, offset = seq * 100): ScannedRecord {
  // Built as a journal line would be after validation (the fold trusts the scan to have checked it).
  const record = { v: 1, seq, ts: T, type, actor: 'alice', data, prev: SHA, hash: SHA } as AnyRecord;
  return { record, offset, length: 50 };
}

/** Everything the fold keeps, as plain data (the shared logs by length), to see whether a record left a trace. */
function footprint(s: IncidentState): string {
  const {
    version: _v,
    seq: _s,
    lastTs: _t,
    recordTimes: _r,
    interner: _i,
    timeline,
    events,
    detections,
    eventIndex,
    pins,
    actions,
    actionItems,
    ...rest
  } = s;
  return JSON.stringify({
    ...rest,
    timeline: timeline.length,
    events: events.length,
    detections: detections.length,
    eventIndex: [...eventIndex],
    pins: [...pins],
    actions: [...actions],
    actionItems: [...actionItems],
  });
}

describe('the fold (store/apply.ts)', () => {
  it('folds one record of every record type in records.ts, and refuses a type it has no case for', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...RECORD_TYPES].sort());
    let s = emptyState();
    let seq = 0;
    for (const type of Object.keys(SAMPLES) as RecordType[]) {
      const data = SAMPLES[type];
      expect(validateData(type, data), type).toMatchObject({ ok: true });
      const before = footprint(s);
      s = apply(s, placed(++seq, type, data));
      expect(s.seq, type).toBe(seq);
      // Checkpoints seal the chain and are not incident facts; every other record must show somewhere.
      if (type !== 'checkpoint') expect(footprint(s), `${type} left no trace in the state`).not.toBe(before);
    }
    expect(s.version).toBe(RECORD_TYPES.length);

    // A type outside the union (a newer firebreak's journal, a type added without a fold case) is
    // an error, not a record skipped in silence.
    const alien = placed(++seq, 'incident.archived' as RecordType, {});
    expect(() => apply(s, alien)).toThrow(/incident\.archived/);
    expect(() => applyAll(s, [alien])).toThrow(/no fold case/);
  });
});
