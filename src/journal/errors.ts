// Errors the journal raises. Each says what failed and what the responder can do.

import { dirname } from 'node:path';

/** A record before the tail is bad: tampering or corruption. Never repaired automatically. */
export class JournalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly seq: number,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}: line ${line} (seq ${seq}): ${reason}`);
    this.name = 'JournalCorruptError';
  }
}

/** Another process holds the write lock. */
export class JournalLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: string,
    /** What to do instead of the default (close the holder), e.g. how to clear a stale lock safely. */
    advice = 'Close that firebreak first, or open this journal read-only with "firebreak review".',
    /** Set when the lock file does not name a live firebreak: what is wrong with it instead. */
    problem?: string,
  ) {
    super(
      problem
        ? `${file} cannot be opened for writing: ${problem}. ${advice}`
        : `${file} is already open for writing by ${holder}. ${advice}`,
    );
    this.name = 'JournalLockedError';
  }
}

/**
 * A write or sync failed. After a failed fsync Linux may have dropped the dirty pages and mark
 * them clean, so a retried fsync can "succeed" with the data gone ("fsyncgate"); the only safe
 * answer is to stop writing, as PostgreSQL does: https://wiki.postgresql.org/wiki/Fsync_Errors
 */
export class JournalUnsafeError extends Error {
  constructor(
    readonly file: string,
    readonly cause_: string,
    /** What was happening, when it was not an append (e.g. "while moving its torn tail aside"). */
    during?: string,
  ) {
    super(
      `journal ${file} is UNSAFE after an I/O error${during ? ` ${during}` : ''} (${cause_}); nothing more is recorded. ` +
        `${remedy(cause_, file)} Then run firebreak again: it re-verifies the journal and moves any torn tail aside; ` +
        `what was recorded before the error is kept.`,
    );
    this.name = 'JournalUnsafeError';
  }
}

function remedy(cause: string, file: string): string {
  const dir = dirname(file);
  if (/^(ENOSPC|EDQUOT)\b/.test(cause)) return `The disk holding ${dir} is full (or over quota): free space there.`;
  if (/^EROFS\b/.test(cause))
    return `${dir} is on a read-only file system: remount it read-write or copy the journal elsewhere.`;
  if (/^EIO\b/.test(cause))
    return `The disk holding ${dir} reported an I/O error: check it (dmesg) and copy the journal to a healthy disk.`;
  return `Check the disk holding ${dir}.`;
}

/** The errno codes that mean the disk, not the journal, failed. */
const DISK_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS']);

/** A disk fault as the UNSAFE error naming the journal; anything else unchanged. */
export function asDiskFault(file: string, e: unknown, during: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string' || !DISK_FAULTS.has(err.code)) return e;
  return new JournalUnsafeError(file, `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}`, during);
}

/** A record was refused before it was written (wrong shape). Nothing was written. */
export class RecordInvalidError extends Error {
  constructor(readonly reason: string) {
    super(`record refused: ${reason}`);
    this.name = 'RecordInvalidError';
  }
}
