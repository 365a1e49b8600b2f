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

export async function verifyJournal(file: string): Promise<VerifyResult> {
  let scan: ScanResult;
  try {
    scan = await scanJournal(file, () => {}, { strict: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.message;
    return { ok: false, unreadable: true, scan: emptyScan(), message: `${file}: cannot read: ${why}` };
  }
  if (scan.failure) {
    const f = scan.failure;
    return { ok: false, scan, seq: f.seq, message: `${file}: NOT INTACT — first bad record: seq ${f.seq} (line ${f.line}): ${f.reason}` };
  }
  const who = `${scan.incidentId}: ${scan.records} records, chain intact, head ${scan.head.slice(0, 16)}…`;
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
  return { ok: true, scan, message: `${file}: OK — ${who}` };
}

function emptyScan(): ScanResult {
  return { records: 0, head: '', incidentId: undefined, goodBytes: 0, torn: undefined, failure: undefined };
}
