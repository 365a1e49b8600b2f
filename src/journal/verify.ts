// `firebreak verify`: the whole journal, strictly (each line exactly as its format's writer writes
// it), read-only.

import type { KeyObject } from 'node:crypto';
import { emptyScan, scanJournal, type ScanResult } from './scan.js';
import { checkpointMessage, checkSignature, keyIdOf } from './signing.js';

export interface VerifyResult {
  ok: boolean;
  scan: ScanResult;
  /** First bad seq, when not ok. */
  seq?: number;
  /** The file could not be read at all. */
  unreadable?: boolean;
  message: string;
}

export interface VerifyOptions {
  /**
   * A head hash copied earlier: the journal must still contain a record with this hash, so it
   * extends what was copied (a cut tail, a re-chained tail or a replaced file lose it).
   */
  expectHead?: string;
  /**
   * The public key checkpoints were signed with: every signature must verify, and the journal
   * must end on a signed checkpoint (the writer signs one on close), so records cut from or
   * rewritten in the tail are caught without a copied hash.
   */
  publicKey?: KeyObject;
}

interface SignatureCheck {
  keyId: string;
  /** Seq and time of the last checkpoint whose signature verifies. */
  last?: { seq: number; ts: string };
  /** The first checkpoint whose signature does not verify. */
  bad?: { seq: number; reason: string };
  unsigned: number;
}

export async function verifyJournal(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let scan: ScanResult;
  const expect = opts.expectHead?.trim().toLowerCase();
  let expectSeq: number | undefined;
  const sigs: SignatureCheck | undefined = opts.publicKey ? { keyId: keyIdOf(opts.publicKey), unsigned: 0 } : undefined;
  let incidentId = '';
  try {
    scan = await scanJournal(
      file,
      ({ record }) => {
        if (record.hash === expect) expectSeq = record.seq;
        if (record.type === 'incident.opened') incidentId = record.data.incidentId;
        if (!sigs || record.type !== 'checkpoint' || sigs.bad) return;
        const d = record.data;
        if (d.sig === undefined) {
          sigs.unsigned++;
          return;
        }
        if (d.key !== sigs.keyId) {
          sigs.bad = {
            seq: record.seq,
            reason: `signed by another key (${d.key?.slice(0, 16) ?? 'none'}…, not ${sigs.keyId.slice(0, 16)}…)`,
          };
        } else if (
          !checkSignature(
            opts.publicKey!,
            checkpointMessage(incidentId, record.seq, record.ts, d.records, d.head),
            d.sig,
          )
        ) {
          sigs.bad = {
            seq: record.seq,
            reason: 'signature does not verify (the checkpoint or a record before it was rewritten)',
          };
        } else {
          sigs.last = { seq: record.seq, ts: record.ts };
        }
      },
      { strict: true },
    );
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.message;
    return { ok: false, unreadable: true, scan: emptyScan(), message: `${file}: cannot read: ${why}` };
  }
  if (scan.failure) {
    const f = scan.failure;
    return {
      ok: false,
      scan,
      seq: f.seq,
      message: `${file}: NOT INTACT — first bad record: seq ${f.seq} (line ${f.line}): ${f.reason}`,
    };
  }
  const who = `${scan.incidentId}: ${scan.records} records, chain intact, head ${scan.head}`;
  if (expect !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(expect)) {
      return {
        ok: false,
        unreadable: true,
        scan,
        message: `--expect-head must be a full 64-hex-digit head hash as "firebreak verify" prints it`,
      };
    }
    if (expectSeq === undefined) {
      return {
        ok: false,
        scan,
        message:
          `${file}: NOT THE JOURNAL YOU COPIED — no record has the expected head ${expect}. ` +
          `Records after it were deleted, rewritten and re-chained, or the file was replaced (${who}).`,
      };
    }
  }
  if (sigs) {
    const signed = checkSignatures(file, scan, sigs);
    if (signed) return signed;
  }
  if (scan.torn) {
    const t = scan.torn;
    return {
      ok: false,
      scan,
      seq: t.seq,
      message:
        `${file}: ${who}; but a TORN TAIL follows: seq ${t.seq} (line ${t.line}, ${t.bytes} bytes): ${t.reason}. ` +
        `It was never acknowledged; opening the journal for writing moves it to a side file.`,
    };
  }
  const extends_ =
    expectSeq === undefined
      ? ''
      : `; contains the expected head at seq ${expectSeq} and extends it by ${scan.records - expectSeq} records`;
  const signedBy = sigs?.last
    ? `; signed through the last record (seq ${sigs.last.seq}, ${sigs.last.ts}) by key ${sigs.keyId.slice(0, 16)}…`
    : '';
  return { ok: true, scan, message: `${file}: OK — ${who}${extends_}${signedBy}; checked ${formatsChecked(scan)}` };
}

/** What each line format's check guarantees (ARCHITECTURE.md, "The journal format"). */
const FORMAT_GUARANTEE: Record<number, string> = {
  1: 'canonical JSON, re-serialised and compared byte for byte',
  2: 'hashed as written, not re-serialised; envelope in order, valid UTF-8',
};

/** "3 v1 lines (…), 7 v2 lines (…)": how many lines of each format, and what was proven of them. */
export function formatsChecked(scan: ScanResult): string {
  return Object.entries(scan.byVersion)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([v, n]) => `${n} v${v} line${n === 1 ? '' : 's'} (${FORMAT_GUARANTEE[Number(v)] ?? 'unknown format'})`)
    .join(', ');
}

/** The verdict of --public-key when it fails, else undefined. */
function checkSignatures(file: string, scan: ScanResult, sigs: SignatureCheck): VerifyResult | undefined {
  if (sigs.bad) {
    return {
      ok: false,
      scan,
      seq: sigs.bad.seq,
      message: `${file}: NOT INTACT — checkpoint at seq ${sigs.bad.seq}: ${sigs.bad.reason}`,
    };
  }
  if (!sigs.last) {
    const why = sigs.unsigned ? `its ${sigs.unsigned} checkpoints are unsigned` : 'it has no checkpoint';
    return {
      ok: false,
      scan,
      message:
        `${file}: NOT SIGNED — ${why}: it was not written with FIREBREAK_SIGNING_KEY set, or it was replaced. ` +
        `--public-key cannot vouch for it; use --expect-head with a head hash copied earlier.`,
    };
  }
  const after = scan.records - sigs.last.seq;
  if (after === 0) return undefined;
  return {
    ok: false,
    scan,
    seq: sigs.last.seq + 1,
    message:
      `${file}: NOT COVERED — the last signed checkpoint is seq ${sigs.last.seq} (${sigs.last.ts}); the ${after} records after it ` +
      `(seq ${sigs.last.seq + 1}–${scan.records}) carry no signature. A writer that closes signs through its last record: ` +
      `the journal is still open, its writer stopped without closing, or records after seq ${sigs.last.seq} were rewritten.`,
  };
}
