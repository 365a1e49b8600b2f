// Writes a large, valid journal fast: record 1 opens the incident, then event.ingested records
// (CloudTrail-shaped, unique ids) with notes, severity, phase, role and pin records sprinkled in.
//
// Lines are in the format the journal writes (v2, src/journal/format.ts). Event lines come from a
// template: the record is built once per event shape with placeholder values, split at the
// placeholders, and each record is the template joined with its own values, then sealed with the
// journal's own sealLine. Keys never change between records of one shape, so the line is the one
// the v2 writer builds from the same record; the generator checks that on a sample of records and
// refuses to continue if any differ.

import { closeSync, openSync, writeSync } from 'node:fs';
import { recordHead } from '../dist/src/journal/format.js';
import { genesisHash, sealLine } from '../dist/src/journal/chain.js';
import { buildEvent, eventValues, noteText } from './fixtures.js';

export const INCIDENT_ID = 'INC-2025-0420';
const BASE_TS = Date.UTC(2025, 2, 14, 9, 30, 0);
const PHASES = ['detection', 'triage', 'containment', 'evidence', 'eradication', 'recovery'];
// Matches a placeholder that is a whole JSON value (`"@@seq@@"`) or part of a string.
const PLACEHOLDER = /"@@(\w+)@@"|@@(\w+)@@/g;

function envelope(seq, type, data, prev, actor = 'ingest') {
  return { v: 2, seq, ts: new Date(BASE_TS + seq * 3).toISOString(), type, actor, data, prev };
}

/** The v2 line of a record without its hash: the bytes the hash covers. */
function recordBody(r) {
  return recordHead(r.seq, r.ts, r.type, r.actor, JSON.stringify(r.data), r.prev) + '}';
}

/** Template for one event shape: literal pieces, and for each gap the value name and whether it is a whole value. */
function makeTemplate(outcome) {
  const sample = eventValues(0);
  const vals = Object.fromEntries(Object.keys(sample).map((k) => [k, `@@${k}@@`]));
  vals.outcome = outcome;
  const body = recordBody({
    v: 2,
    seq: '@@seq@@',
    ts: '@@ts@@',
    type: 'event.ingested',
    actor: 'ingest',
    data: { event: buildEvent(vals) },
    prev: '@@prev@@',
  });
  const pieces = [];
  const gaps = [];
  let last = 0;
  for (const m of body.matchAll(PLACEHOLDER)) {
    pieces.push(body.slice(last, m.index));
    gaps.push({ name: m[1] ?? m[2], whole: m[1] !== undefined });
    last = m.index + m[0].length;
  }
  pieces.push(body.slice(last));
  return { pieces, gaps };
}

// Strings that JSON writes as they are (no quote, backslash, control or lone surrogate).
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function fill(t, vals) {
  let out = t.pieces[0];
  for (let g = 0; g < t.gaps.length; g++) {
    const { name, whole } = t.gaps[g];
    const v = vals[name];
    const plain = typeof v === 'string' && PLAIN.test(v);
    const json = whole ? (plain ? `"${v}"` : JSON.stringify(v)) : plain ? v : JSON.stringify(String(v)).slice(1, -1);
    out += json + t.pieces[g + 1];
  }
  return out;
}

/** Writes `records` records to `file` (which must not exist); resolves with counts by type. */
export async function generateJournal(file, records) {
  const templates = { success: makeTemplate('success'), failure: makeTemplate('failure') };
  const fd = openSync(file, 'wx', 0o600);
  const counts = {};
  let chunk = [];
  let chunkLen = 0;
  let prev = genesisHash(INCIDENT_ID);
  let eventNo = 0;
  const put = (body) => {
    const { line, hash } = sealLine(body);
    prev = hash;
    chunk.push(line, '\n');
    chunkLen += line.length + 1;
    if (chunkLen >= 8 * 1024 * 1024) flush();
  };
  let flushes = 0;
  const flush = () => {
    const buf = Buffer.from(chunk.join(''), 'utf8');
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
    chunk = [];
    chunkLen = 0;
    flushes++;
  };
  const record = (seq, type, data, actor) => {
    counts[type] = (counts[type] ?? 0) + 1;
    put(recordBody(envelope(seq, type, data, prev, actor)));
  };
  try {
    record(
      1,
      'incident.opened',
      {
        incidentId: INCIDENT_ID,
        title: 'Exfiltration from acme-data via leaked CI role',
        codename: 'BLUE HERON',
        mode: 'drill',
      },
      'alice',
    );
    for (let seq = 2; seq <= records; seq++) {
      // Let signal handlers run now and then (Ctrl-C removes the half-written file).
      if (flushes > 0 && seq % 65_536 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (seq === 3) record(seq, 'role.assigned', { role: 'ic', person: 'alice' }, 'alice');
      else if (seq % 100_003 === 0)
        record(
          seq,
          'severity.set',
          { level: (seq / 100_003) % 4, reason: `blast radius re-assessed at seq ${seq}` },
          'alice',
        );
      else if (seq % 150_001 === 0)
        record(seq, 'phase.set', { phase: PHASES[(seq / 150_001) % PHASES.length] }, 'alice');
      else if (seq % 25_013 === 0 && eventNo > 0)
        record(
          seq,
          'event.pinned',
          { key: `cloudtrail:${eventValues(eventNo - 1).id}`, comment: 'first read of customer data' },
          'bob',
        );
      else if (seq % 997 === 0) record(seq, 'note.added', { text: noteText(seq) }, 'bob');
      else {
        const vals = eventValues(eventNo++);
        const t = templates[vals.outcome];
        vals.seq = seq;
        vals.ts = new Date(BASE_TS + seq * 3).toISOString();
        vals.prev = prev;
        const body = fill(t, vals);
        // The template must give exactly what the v2 writer gives; check a sample.
        if (seq < 300 || seq % 10_007 === 0) {
          const expect = recordBody(envelope(seq, 'event.ingested', { event: buildEvent(vals) }, prev));
          if (body !== expect) throw new Error(`generator template differs from the v2 writer at seq ${seq}`);
        }
        counts['event.ingested'] = (counts['event.ingested'] ?? 0) + 1;
        put(body);
      }
    }
    if (chunkLen) flush();
  } finally {
    closeSync(fd);
  }
  return counts;
}
