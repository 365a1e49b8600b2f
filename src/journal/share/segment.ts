// A sealed segment: a contiguous range of one writer's journal lines (seq first..last), exactly the
// bytes that writer's journal holds, published as one S3 object that Object Lock keeps unchanged.
// Its seal is the hash of its last record: the next segment's first record chains to it, so a
// writer's segments are one hash chain from the incident's genesis (chain.ts genesisHash).
//
// Key layout: `PREFIX/INC-YYYY-NNN/WRITER/FFFFFF-LLLLLL.jsonl`, the first and last seq zero-padded
// so a listing sorts in chain order. Naming the last seq in the key is what shows a truncated
// object that still ends on a line boundary.

import { createHash } from 'node:crypto';
import { EVIDENCE_ID, WRITER_ID } from '../records.js';

export const SEGMENT_PAD = 6;
const INCIDENT_ID = /^INC-\d{4}-\d{3,6}$/;
const SEGMENT_NAME = /^(\d{6,})-(\d{6,})\.jsonl$/;

export interface SegmentName {
  incidentId: string;
  writerId: string;
  first: number;
  last: number;
}

export interface SealedSegment extends SegmentName {
  key: string;
  body: Buffer;
  /** Hash of the last record: what the next segment chains to. */
  seal: string;
  /** SHA-256 of the body, base64 (S3's x-amz-checksum-sha256). */
  checksumSha256: string;
}

/** `s3://bucket/prefix` → bucket and prefix (no leading or trailing slash). */
export function parseShareUrl(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw new Error(`not an S3 URL: ${url} (expected s3://bucket/prefix)`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** The folder every writer of an incident publishes under. */
export function incidentPrefix(prefix: string, incidentId: string): string {
  return prefix ? `${prefix}/${incidentId}/` : `${incidentId}/`;
}

export function segmentKey(prefix: string, n: SegmentName): string {
  const pad = (x: number) => String(x).padStart(SEGMENT_PAD, '0');
  return `${incidentPrefix(prefix, n.incidentId)}${n.writerId}/${pad(n.first)}-${pad(n.last)}.jsonl`;
}

/** Reads a key back into its parts, or a reason it is not a segment key under `prefix`. */
export function parseSegmentKey(prefix: string, key: string): SegmentName | { error: string } {
  const head = prefix ? `${prefix}/` : '';
  if (!key.startsWith(head)) return { error: `not under ${prefix}` };
  const parts = key.slice(head.length).split('/');
  if (parts.length !== 3) return { error: 'not PREFIX/INC-…/WRITER/FIRST-LAST.jsonl' };
  const [incidentId, writerId, name] = parts as [string, string, string];
  if (!INCIDENT_ID.test(incidentId)) return { error: `bad incident id ${incidentId}` };
  if (!WRITER_ID.test(writerId) || !EVIDENCE_ID.test(writerId)) return { error: `bad writer id ${writerId}` };
  const m = SEGMENT_NAME.exec(name);
  if (!m) return { error: `bad segment name ${name}` };
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (!(first >= 1 && last >= first)) return { error: `bad seq range ${first}-${last}` };
  return { incidentId, writerId, first, last };
}

export function sha256Base64(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('base64');
}

/**
 * Seals lines `first..first+lines.length-1` of a writer's journal (each line with its newline, as
 * on disk) into one segment. `lastHash` is the hash of the last line (the caller has it from the
 * scan that read the lines).
 */
export function sealSegment(
  prefix: string,
  name: Omit<SegmentName, 'last'>,
  lines: readonly Buffer[],
  lastHash: string,
): SealedSegment {
  if (lines.length === 0) throw new Error('a segment holds at least one record');
  const body = Buffer.concat(lines);
  const n: SegmentName = { ...name, last: name.first + lines.length - 1 };
  return { ...n, key: segmentKey(prefix, n), body, seal: lastHash, checksumSha256: sha256Base64(body) };
}
