// One writer per journal. O_APPEND keeps each write whole, but two writers would still fork the
// hash chain, so a second process is refused with the holder named. Node has no flock(2); an
// exclusive-create lock file is portable and shows the holder to a human.

import { hostname, userInfo } from 'node:os';
import { openSync, closeSync, writeSync, readFileSync, unlinkSync, fsyncSync, linkSync } from 'node:fs';
import { JournalLockedError } from './errors.js';

interface LockInfo {
  pid: number;
  host: string;
  user: string;
  since: string;
}

export interface JournalLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(info: LockInfo): string {
  return `${info.user} (pid ${info.pid} on ${info.host}, since ${info.since})`;
}

/** The calls the lock makes, behind a seam so tests can inject ENOSPC/EIO. */
export interface LockFs {
  openSync: typeof openSync;
  writeSync: (fd: number, s: string) => number;
  fsyncSync: typeof fsyncSync;
  closeSync: typeof closeSync;
  linkSync: typeof linkSync;
  unlinkSync: typeof unlinkSync;
}
const realFs: LockFs = { openSync, writeSync, fsyncSync, closeSync, linkSync, unlinkSync };

/**
 * Writes the lock completely or not at all: the content goes to a private temp file first and is
 * hard-linked into place (link(2) fails with EEXIST if the lock is held), so no reader ever sees a
 * half-written lock and an I/O error never leaves one behind.
 */
function createLock(lockFile: string, content: string, fs: LockFs): void {
  const tmp = `${lockFile}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(tmp, lockFile);
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Never created.
    }
  }
}

export function acquireLock(journalFile: string, fs: LockFs = realFs): JournalLock {
  const lockFile = `${journalFile}.lock`;
  const me: LockInfo = { pid: process.pid, host: hostname(), user: safeUser(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createLock(lockFile, JSON.stringify(me) + '\n', fs);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(lockFile, 'utf8')) as LockInfo;
      } catch {
        // A lock file we cannot read is treated as held: guessing wrong would fork the chain.
      }
      // A holder on this host that no longer runs (kill -9, power loss) left a stale lock.
      if (holder && holder.host === me.host && holder.pid !== process.pid && !alive(holder.pid) && attempt === 0) {
        unlinkSync(lockFile);
        continue;
      }
      throw new JournalLockedError(journalFile, holder ? describe(holder) : `another process (lock file ${lockFile})`);
    }
  }
  throw new JournalLockedError(journalFile, `another process (lock file ${lockFile})`);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
