// `firebreak verify`: the whole journal, strictly (canonical form too), read-only.

import { scanJournal, type ScanResult } from './scan.js';

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
}

export async function verifyJournal(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let scan: ScanResult;
  const expect = opts.expectHead?.trim().toLowerCase();
  let expectSeq: number | undefined;
  try {
    scan = await scanJournal(
      file,
      ({ record }) => {
        if (record.hash === expect) expectSeq = record.seq;
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
    return { ok: false, scan, seq: f.seq, message: `${file}: NOT INTACT — first bad record: seq ${f.seq} (line ${f.line}): ${f.reason}` };
  }
  const who = `${scan.incidentId}: ${scan.records} records, chain intact, head ${scan.head}`;
  if (expect !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(expect)) {
      return { ok: false, unreadable: true, scan, message: `--expect-head must be a full 64-hex-digit head hash as "firebreak verify" prints it` };
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
  const extends_ = expectSeq === undefined ? '' : `; contains the expected head at seq ${expectSeq} and extends it by ${scan.records - expectSeq} records`;
  return { ok: true, scan, message: `${file}: OK — ${who}${extends_}` };
}

function emptyScan(): ScanResult {
  return { records: 0, head: '', incidentId: undefined, goodBytes: 0, torn: undefined, failure: undefined };
}
