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
  readFileSync: (path: string, encoding: 'utf8') => string;
}
const realFs: LockFs = { openSync, writeSync, fsyncSync, closeSync, linkSync, unlinkSync, readFileSync };

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
    try {
      fs.linkSync(tmp, lockFile);
    } catch (e) {
      // link(2) can fail after the name landed (EIO reported late, NFS): a lock with our exact
      // content is ours, and would strand every later writer if left.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') removeIfOurs(lockFile, content, fs);
      throw e;
    }
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Never created.
    }
  }
}

function removeIfOurs(lockFile: string, content: string, fs: LockFs): void {
  try {
    if (fs.readFileSync(lockFile, 'utf8') === content) fs.unlinkSync(lockFile);
  } catch {
    // Not there, or unreadable: nothing of ours to remove.
  }
}

/** What is in the way when the lock file exists. */
type Obstacle =
  | { kind: 'held'; info: LockInfo }
  | { kind: 'stale'; info: LockInfo }
  | { kind: 'empty' }
  | { kind: 'garbled'; bytes: number }
  | { kind: 'foreign-pid'; info: LockInfo; command: string }
  | { kind: 'other-host'; info: LockInfo };

function isLockInfo(x: unknown): x is LockInfo {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    Number.isInteger(o.pid) &&
    (o.pid as number) > 0 &&
    typeof o.host === 'string' &&
    typeof o.user === 'string' &&
    typeof o.since === 'string'
  );
}

/** The command line of a live pid on this host, or undefined where /proc cannot say (not Linux). */
function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
}

/** firebreak runs under node (bin/firebreak.js re-execs the bundled node). */
function looksLikeFirebreak(command: string): boolean {
  return /firebreak|\bnode\b|\/node(\s|$)/.test(command);
}

function inspect(lockFile: string, me: LockInfo, fs: LockFs): Obstacle {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8');
  } catch {
    return { kind: 'garbled', bytes: 0 };
  }
  if (text.trim() === '') return { kind: 'empty' };
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    return { kind: 'garbled', bytes: Buffer.byteLength(text) };
  }
  if (!isLockInfo(info)) return { kind: 'garbled', bytes: Buffer.byteLength(text) };
  if (info.host !== me.host) return { kind: 'other-host', info };
  if (info.pid === process.pid) return { kind: 'held', info };
  if (!alive(info.pid)) return { kind: 'stale', info };
  const command = commandOf(info.pid);
  if (command !== undefined && !looksLikeFirebreak(command)) return { kind: 'foreign-pid', info, command };
  return { kind: 'held', info };
}

/** Why the lock is in the way, and the exact safe way to clear it. */
function explain(journalFile: string, lockFile: string, o: Exclude<Obstacle, { kind: 'stale' }>): JournalLockedError {
  const rm = `rm ${JSON.stringify(lockFile)}`;
  switch (o.kind) {
    case 'held':
      return new JournalLockedError(journalFile, describe(o.info));
    case 'empty':
      return new JournalLockedError(
        journalFile,
        'an unknown process',
        `If no firebreak is writing this journal (check with "pgrep -af firebreak"), clear it with: ${rm}`,
        `its lock file ${lockFile} is empty (left by another tool, or by a firebreak older than the one that writes the lock whole)`,
      );
    case 'garbled':
      return new JournalLockedError(
        journalFile,
        'an unknown process',
        `Look at it ("cat ${lockFile}"); if no firebreak is writing this journal (check with "pgrep -af firebreak"), clear it with: ${rm}`,
        `its lock file ${lockFile} is not a firebreak lock (${o.bytes} bytes that do not say who holds it)`,
      );
    case 'foreign-pid':
      return new JournalLockedError(
        journalFile,
        describe(o.info),
        `Check with "ps -o pid,args -p ${o.info.pid}"; if it is not firebreak, clear the lock with: ${rm}`,
        `its lock file ${lockFile} names ${describe(o.info)}, but pid ${o.info.pid} is now "${o.command.slice(0, 80)}", not firebreak: the holder died and its pid was reused`,
      );
    case 'other-host':
      return new JournalLockedError(
        journalFile,
        describe(o.info),
        `On ${o.info.host}, check with "ps -o pid,args -p ${o.info.pid}"; if that firebreak is gone, clear the lock with: ${rm}`,
        `its lock file ${lockFile} names ${describe(o.info)}, on another machine, which firebreak cannot check from here`,
      );
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
      // Anything but a provably dead holder on this host is left alone and explained: guessing
      // wrong would let two writers fork the chain.
      const o = inspect(lockFile, me, fs);
      if (o.kind === 'stale' && attempt === 0) {
        // The holder no longer runs (kill -9, power loss): its lock is stale.
        fs.unlinkSync(lockFile);
        continue;
      }
      if (o.kind !== 'stale') throw explain(journalFile, lockFile, o);
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
