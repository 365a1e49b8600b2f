// The journal writer: redacts, validates, seals and appends records, with two durabilities:
//   'sync'  — resolves only after fdatasync covers the record (user actions, action intents);
//   'group' — bulk ingest: records are batched and one fdatasync covers the batch, at most
//             GROUP_DELAY_MS later. The promise still resolves only once the batch is durable.
// Seq and hash are assigned synchronously at append(), so the chain order is the call order and
// one write+sync in flight at a time keeps the file in that order. Each record is serialised once
// (format.ts), encoded once and hashed over those bytes (chain.ts sealHead); the buffer goes to disk.

import { rm, truncate, open as openFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { canonicalJson } from './canonical.js';
import { checkpointDue } from './checkpoint.js';
import { checkpointMessage, signCheckpoint, signerFromEnv, type CheckpointSigner } from './signing.js';
import { genesisHash, sealHead } from './chain.js';
import { assertStorable, recordHead } from './format.js';
import { asDiskFault, JournalCorruptError, JournalUnsafeError, RecordInvalidError } from './errors.js';
import { openAppendIO, syncDirectory, type JournalIO } from './io.js';
import { acquireLock, type JournalLock } from './lock.js';
import {
  RECORD_VERSION,
  isRecordType,
  validateData,
  type AnyRecord,
  type RecordData,
  type RecordType,
} from './records.js';
import { scanJournal, type ScannedRecord, type ScanResult, type TornTail } from './scan.js';
import { redactSecrets } from '../safety/redact.js';

export const GROUP_DELAY_MS = 20;
/** Flush a group early once this much is pending, to bound memory and latency under a burst. */
const GROUP_MAX_BYTES = 4 * 1024 * 1024;

export type Durability = 'sync' | 'group';

export interface AppendOptions {
  actor?: string;
  durability?: Durability;
  /** Override the record time (tests, imports of a drill clock). Defaults to now. */
  ts?: string;
  /**
   * The data was built by firebreak's own code from values whose every schema rule holds by
   * construction (its type is checked at compile time): skip the schema and bounds checks. Open
   * still checks every record, so a trusted record that breaks its schema would make the journal
   * refuse to open: under the test runner trusted records are checked anyway, and fail loudly.
   */
  trusted?: boolean;
}

export interface JournalHealth {
  state: 'durable' | 'unsafe';
  reason?: string;
  records: number;
  head: string;
}

export interface JournalOptions {
  actor?: string;
  /** Runs on every record's data before it is sealed; defaults to the secret redactor. */
  redact?: (data: unknown) => unknown;
  /**
   * Signs every checkpoint, and adds one on close so a closed journal is signed through its last
   * record. Default: the key FIREBREAK_SIGNING_KEY names, if set; null turns signing off.
   */
  signer?: CheckpointSigner | null;
  /** Test seam for fault injection. */
  io?: (file: string, flags: 'a' | 'ax') => Promise<JournalIO>;
  now?: () => Date;
}

export interface BatchItem {
  type: RecordType;
  data: unknown;
  actor?: string;
  ts?: string;
  /** As AppendOptions.trusted. */
  trusted?: boolean;
}

export interface RejectedItem {
  /** Position of the item in the batch passed to appendMany. */
  index: number;
  type: RecordType;
  reason: string;
}

/** The records written, in order, and the items left out with why. */
export type BatchPlaced = ScannedRecord[] & { rejected: RejectedItem[] };

/** One line saying why a value could not be stored, never a stack trace. */
function reasonOf(e: unknown): string {
  if (e instanceof RecordInvalidError) return e.reason;
  if (e instanceof RangeError) return 'value is nested too deeply to store';
  return e instanceof Error ? e.message : String(e);
}

/** Where the next record goes: seq and hash of the last one, file size, records since a checkpoint. */
interface Position {
  seq: number;
  head: string;
  size: number;
  since: number;
  /** The last record is a checkpoint this writer signed: closing needs no other. */
  signed: boolean;
}

interface Sealed {
  placed: ScannedRecord;
  /** The line with its newline, as it goes to disk. */
  bytes: Buffer;
}

/** Under the test runner, trusted records are validated too: a wrong internal record fails tests. */
const CHECK_TRUSTED = process.env.VITEST !== undefined;

/** A record marked trusted broke its schema: a bug in the code that built it, never a rejected item. */
export class TrustedRecordError extends Error {
  constructor(reason: string) {
    super(`internal record breaks its schema: ${reason}`);
    this.name = 'TrustedRecordError';
  }
}

/** Checks a trusted record as an untrusted one would be, and that the schema strips nothing from it. */
function assertTrusted(type: RecordType, data: unknown): void {
  const check = validateData(type, data);
  if (!check.ok) throw new TrustedRecordError(check.reason);
  assertStorable(data);
  if (canonicalJson(check.data) !== canonicalJson(data))
    throw new TrustedRecordError(`${type}: data has fields its schema does not (they would be journaled)`);
}

/** The actor of the records the journal writes by itself. */
const JOURNAL_ACTOR = 'firebreak';

interface Pending {
  bytes: Buffer[];
  size: number;
  waiters: { resolve: () => void; reject: (e: Error) => void }[];
}

export interface OpenedJournal {
  journal: Journal;
  scan: ScanResult;
  /** Where a torn tail was moved, if there was one. */
  tornMovedTo: string | undefined;
}

export function defaultActor(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export class Journal {
  /** Once everything sealed so far is written (size is the offset of the next line). */
  private at: Position;
  private readonly checkpointListeners = new Set<(placed: ScannedRecord) => void>();
  private unsafeReason: string | undefined;
  private pending: Pending = { bytes: [], size: 0, waiters: [] };
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly redact: (data: unknown) => unknown;
  private readonly now: () => Date;
  private readonly signer: CheckpointSigner | undefined;
  readonly actor: string;

  private constructor(
    readonly file: string,
    private readonly io: JournalIO,
    private readonly lock: JournalLock,
    private readonly incidentId: string,
    at: Position,
    opts: JournalOptions,
    signer: CheckpointSigner | undefined,
  ) {
    this.at = at;
    this.signer = signer;
    this.actor = opts.actor ?? defaultActor();
    this.redact = opts.redact ?? redactSecrets;
    this.now = opts.now ?? (() => new Date());
  }

  /** Creates a new journal (refusing to overwrite one) whose first record opens the incident. */
  static async create(
    file: string,
    opened: RecordData<'incident.opened'>,
    opts: JournalOptions = {},
  ): Promise<Journal> {
    const check = validateData('incident.opened', opened);
    if (!check.ok) throw new RecordInvalidError(check.reason);
    const signer = opts.signer === undefined ? signerFromEnv(file) : (opts.signer ?? undefined);
    const io = await (opts.io ?? openAppendIO)(file, 'ax').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') {
        const msg = `${file} already exists: firebreak never overwrites a journal. Choose another file, or add to this one (note, drill --journal, review).`;
        throw Object.assign(new Error(msg), { code: 'EEXIST' });
      }
      throw e;
    });
    let lock: JournalLock;
    try {
      lock = acquireLock(file);
    } catch (e) {
      await io.close();
      throw asDiskFault(file, e, 'while taking its write lock');
    }
    // The file exists from here on; sync its directory entry so it survives power loss too.
    syncDirectory(file);
    const at = { seq: 0, head: genesisHash(opened.incidentId), size: 0, since: 0, signed: false };
    const j: Journal = new Journal(file, io, lock, opened.incidentId, at, opts, signer);
    await j.append('incident.opened', opened);
    return j;
  }

  /**
   * Opens an existing journal for writing: takes the lock, verifies every record (handing each to
   * `onRecord`, e.g. the store's fold), and moves a torn tail aside before appending after it.
   */
  static async open(
    file: string,
    onRecord: (r: ScannedRecord) => void,
    opts: JournalOptions = {},
  ): Promise<OpenedJournal> {
    // A bad key is refused before anything is locked or read.
    const signer = opts.signer === undefined ? signerFromEnv(file) : (opts.signer ?? undefined);
    let lock: JournalLock;
    try {
      lock = acquireLock(file);
    } catch (e) {
      throw asDiskFault(file, e, 'while taking its write lock');
    }
    try {
      let since = 0;
      let signed = false;
      const scan = await scanJournal(file, (r) => {
        const cp = r.record.type === 'checkpoint' ? r.record : undefined;
        since = cp ? 0 : since + 1;
        signed = cp !== undefined && cp.data.sig !== undefined && cp.data.key === signer?.keyId;
        onRecord(r);
      });
      if (scan.failure) throw new JournalCorruptError(file, scan.failure.seq, scan.failure.line, scan.failure.reason);
      let tornMovedTo: string | undefined;
      const openIO = opts.io ?? openAppendIO;
      if (scan.torn) {
        try {
          tornMovedTo = await moveTornTail(file, scan.torn, scan.goodBytes, openIO);
        } catch (e) {
          throw asDiskFault(file, e, 'while moving its torn tail aside (the journal was not changed)');
        }
      }
      const io = await openIO(file, 'a').catch((e: unknown) => {
        throw asDiskFault(file, e, 'while opening it for writing');
      });
      const at = { seq: scan.records, head: scan.head, size: scan.goodBytes, since, signed };
      return { journal: new Journal(file, io, lock, scan.incidentId!, at, opts, signer), scan, tornMovedTo };
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  get health(): JournalHealth {
    return this.unsafeReason === undefined
      ? { state: 'durable', records: this.at.seq, head: this.at.head }
      : { state: 'unsafe', reason: this.unsafeReason, records: this.at.seq, head: this.at.head };
  }

  /**
   * Hears every checkpoint the journal writes by itself (after a milestone, every
   * CHECKPOINT_EVERY records), once it is durable, before the append that caused it resolves: a
   * fold that applies records in seq order (the store) needs them too. Returns the unsubscribe.
   */
  onCheckpoint(listener: (placed: ScannedRecord) => void): () => void {
    this.checkpointListeners.add(listener);
    return () => this.checkpointListeners.delete(listener);
  }

  /** Appends one record; resolves with it once it is durable (see Durability). */
  append<T extends RecordType>(type: T, data: RecordData<T>, opts: AppendOptions = {}): Promise<ScannedRecord> {
    try {
      this.writable();
      const { sealed, next } = this.withCheckpoint(this.build(type, data, opts, this.at));
      this.at = next;
      return this.write(sealed, opts.durability ?? 'sync').then(() => sealed[0]!.placed);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Appends many records under one group commit; resolves once all are durable. The batch is
   * sealed completely before any counter moves: an item that cannot be stored (wrong shape, too
   * deep, a non-finite number, anything that throws) is left out alone and listed in `rejected`
   * with its reason, and the others are chained without a gap.
   */
  appendMany(items: readonly BatchItem[], durability: Durability = 'group'): Promise<BatchPlaced> {
    try {
      this.writable();
      const sealed: Sealed[] = [];
      const items_: ScannedRecord[] = [];
      const rejected: RejectedItem[] = [];
      let at = this.at;
      for (let index = 0; index < items.length; index++) {
        const it = items[index]!;
        let s: { sealed: Sealed[]; next: Position };
        try {
          s = this.withCheckpoint(this.build(it.type, it.data, it, at));
        } catch (e) {
          if (e instanceof TrustedRecordError) throw e;
          rejected.push({ index, type: it.type, reason: reasonOf(e) });
          continue;
        }
        sealed.push(...s.sealed);
        items_.push(s.sealed[0]!.placed);
        at = s.next;
      }
      // Only now, with every line built, does the writer's position move.
      this.at = at;
      const placed = (): BatchPlaced => Object.assign(items_, { rejected });
      if (sealed.length === 0) return Promise.resolve(placed());
      return this.write(sealed, durability).then(placed);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Flushes what is pending and closes the file; the lock is released. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Signed through the last record: what a later verify --public-key needs to vouch for the tail.
    if (this.signer && !this.at.signed && this.unsafeReason === undefined) {
      const cp = this.checkpoint(this.at, this.now().toISOString());
      this.at = cp.next;
      await this.write([cp], 'sync').catch(() => undefined);
    }
    if (this.pending.waiters.length > 0 || this.flushing) await this.flushNow().catch(() => undefined);
    this.closed = true;
    clearTimeout(this.timer);
    try {
      await this.io.close();
    } finally {
      this.lock.release();
    }
  }

  private writable(): void {
    if (this.closed) throw new JournalUnsafeError(this.file, 'journal is closed');
    if (this.unsafeReason !== undefined) throw new JournalUnsafeError(this.file, this.unsafeReason);
  }

  /** Writes sealed lines as one; tells checkpoint listeners once they are durable. */
  private write(sealed: readonly Sealed[], durability: Durability): Promise<void> {
    return this.enqueue(sealed, durability).then(() => {
      for (const s of sealed) {
        if (s.placed.record.type !== 'checkpoint') continue;
        for (const l of this.checkpointListeners) l(s.placed);
      }
    });
  }

  /** A sealed record, followed by a checkpoint over it when one is due (checkpoint.ts). */
  private withCheckpoint(s: Sealed & { next: Position }): { sealed: Sealed[]; next: Position } {
    const type = s.placed.record.type;
    if (!checkpointDue(type, s.next.since)) return { sealed: [s], next: s.next };
    const cp = this.checkpoint(s.next, s.placed.record.ts);
    return { sealed: [s, cp], next: cp.next };
  }

  /** A checkpoint over the record before `at`, signed when there is a signer. */
  private checkpoint(at: Position, ts: string): Sealed & { next: Position } {
    const base = { records: at.seq, head: at.head };
    const data = this.signer
      ? {
          ...base,
          sig: signCheckpoint(this.signer, checkpointMessage(this.incidentId, at.seq + 1, ts, at.seq, at.head)),
          key: this.signer.keyId,
        }
      : base;
    // Built here from the writer's own position and signer: trusted, and not redacted (its hashes
    // and signature could pass for a key to a secret scanner).
    const cp = this.build('checkpoint', data, { actor: JOURNAL_ACTOR, ts, trusted: true }, at, false);
    return { ...cp, next: { ...cp.next, signed: this.signer !== undefined } };
  }

  /** Seals one record at `at` (the position after the previous one); moves no counter. */
  private build(
    type: RecordType,
    data: unknown,
    opts: AppendOptions,
    at: Position,
    redact = true,
  ): Sealed & { next: Position } {
    if (!isRecordType(type)) throw new RecordInvalidError(`unknown record type ${JSON.stringify(type)}`);
    let value: unknown;
    let json: string | undefined;
    try {
      value = redact ? this.redact(data) : data;
      if (!opts.trusted) {
        const check = validateData(type, value);
        if (!check.ok) throw new RecordInvalidError(check.reason);
        value = check.data;
        assertStorable(value);
      } else if (CHECK_TRUSTED) assertTrusted(type, value);
      json = JSON.stringify(value);
    } catch (e) {
      // A stack overflow in redaction or the schema on hostile nesting is a refusal, not a crash.
      if (e instanceof RecordInvalidError || e instanceof TrustedRecordError) throw e;
      throw new RecordInvalidError(`${type}: ${reasonOf(e)}`);
    }
    if (json === undefined) throw new RecordInvalidError(`${type}: data is not a JSON value`);
    const seq = at.seq + 1;
    const ts = opts.ts ?? this.now().toISOString();
    const actor = opts.actor ?? this.actor;
    const { bytes, hash } = sealHead(recordHead(seq, ts, type, actor, json, at.head));
    const length = bytes.length - 1; // without the newline
    const record = { v: RECORD_VERSION, seq, ts, type, actor, data: value, prev: at.head, hash } as AnyRecord;
    const since = type === 'checkpoint' ? 0 : at.since + 1;
    return {
      placed: { record, offset: at.size, length },
      bytes,
      next: { seq, head: hash, size: at.size + length + 1, since, signed: false },
    };
  }

  private enqueue(sealed: readonly Sealed[], durability: Durability): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      for (const s of sealed) {
        this.pending.bytes.push(s.bytes);
        this.pending.size += s.bytes.length;
      }
      this.pending.waiters.push({ resolve, reject });
      if (durability === 'sync' || this.pending.size >= GROUP_MAX_BYTES) {
        clearTimeout(this.timer);
        this.timer = undefined;
        void this.flushNow();
      } else if (!this.timer && !this.flushing) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flushNow();
        }, GROUP_DELAY_MS);
      }
    });
  }

  /** Writes and syncs everything pending; one flush runs at a time and drains the queue. */
  private async flushNow(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.waiters.length > 0) {
        const batch = this.pending;
        this.pending = { bytes: [], size: 0, waiters: [] };
        try {
          await this.io.write(batch.bytes.length === 1 ? batch.bytes[0]! : Buffer.concat(batch.bytes, batch.size));
          await this.io.sync();
        } catch (e) {
          this.fail(e as NodeJS.ErrnoException, batch);
          return;
        }
        for (const w of batch.waiters) w.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }

  private fail(e: NodeJS.ErrnoException, batch: Pending): void {
    // Node's message repeats the code ("ENOSPC: no space left on device, write").
    this.unsafeReason = `${e.code ?? 'error'}: ${e.message.replace(/^[A-Z]+: /, '')}`;
    const err = new JournalUnsafeError(this.file, this.unsafeReason);
    for (const w of [...batch.waiters, ...this.pending.waiters]) w.reject(err);
    this.pending = { bytes: [], size: 0, waiters: [] };
    clearTimeout(this.timer);
  }
}

/**
 * etcd's repair pattern: copy the torn bytes to a side file (synced), then truncate the journal
 * to its last good record and sync — never delete the bytes silently.
 */
async function moveTornTail(
  file: string,
  torn: TornTail,
  goodBytes: number,
  openIO: (file: string, flags: 'a' | 'ax') => Promise<JournalIO>,
): Promise<string> {
  const side = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, '')}`;
  const src = await openFile(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(torn.bytes);
    await src.read(buf, 0, torn.bytes, torn.offset);
    // Through the journal's I/O seam: a full disk here is the same fault as in an append.
    const dst = await openIO(side, 'ax');
    try {
      await dst.write(buf);
      await dst.sync();
    } catch (e) {
      // An empty or partial side file is no copy: remove it, so each failed attempt leaves nothing.
      await dst.close().catch(() => undefined);
      await rm(side, { force: true });
      throw e;
    }
    await dst.close();
  } finally {
    await src.close();
  }
  syncDirectory(side);
  await truncate(file, goodBytes);
  const fh = await openFile(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  return side;
}
