// Errors the journal raises. Each says what failed and what the responder can do.

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
    super(problem ? `${file} cannot be opened for writing: ${problem}. ${advice}` : `${file} is already open for writing by ${holder}. ${advice}`);
    this.name = 'JournalLockedError';
  }
}

/**
 * A write or sync failed. After a failed fsync Linux may have dropped the dirty pages and mark
 * them clean, so a retried fsync can "succeed" with the data gone ("fsyncgate"); the only safe
 * answer is to stop writing (research/reliability.md §3.1).
 */
export class JournalUnsafeError extends Error {
  constructor(
    readonly file: string,
    readonly cause_: string,
  ) {
    super(
      `journal ${file} is UNSAFE after an I/O error (${cause_}); nothing more is recorded. ` +
        `Restart firebreak: it re-verifies the journal and cuts any torn tail.`,
    );
    this.name = 'JournalUnsafeError';
  }
}

/** A record was refused before it was written (wrong shape). Nothing was written. */
export class RecordInvalidError extends Error {
  constructor(readonly reason: string) {
    super(`record refused: ${reason}`);
    this.name = 'RecordInvalidError';
  }
}
