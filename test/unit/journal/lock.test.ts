// The lock is written completely or not at all: an I/O error while writing it leaves no lock (and
// no temp file) behind, so the next writer is not refused as "already open".

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, type LockFs } from '../../../src/journal/lock.js';
import * as nodeFs from 'node:fs';
import { tempDir } from '../../helpers/tmp.js';

const real: LockFs = { ...nodeFs, writeSync: (fd, s) => writeSync(fd, s), readFileSync: (p, e) => readFileSync(p, e) };

describe('lock faults', () => {
  for (const code of ['ENOSPC', 'EIO']) {
    it(`leaves nothing behind after ${code} while writing the lock`, () => {
      const dir = tempDir();
      const file = join(dir, 'j.jsonl');
      const failing: LockFs = {
        ...real,
        writeSync: () => {
          throw Object.assign(new Error(`${code}: write`), { code });
        },
      };
      expect(() => acquireLock(file, failing)).toThrow(code);
      expect(existsSync(`${file}.lock`)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
      const lock = acquireLock(file);
      expect(existsSync(`${file}.lock`)).toBe(true);
      lock.release();
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});

describe('lock faults after the link', () => {
  it('removes a lock whose link landed but reported EIO', () => {
    const dir = tempDir();
    const file = join(dir, 'j.jsonl');
    const late: LockFs = {
      ...real,
      linkSync: (a, b) => {
        nodeFs.linkSync(a, b);
        throw Object.assign(new Error('EIO: link'), { code: 'EIO' });
      },
    };
    expect(() => acquireLock(file, late)).toThrow('EIO');
    expect(readdirSync(dir)).toEqual([]);
    acquireLock(file).release();
  });
});

describe('a lock in the way is explained, with the safe command to clear it', () => {
  function locked(content: string): { file: string; lock: string } {
    const file = join(tempDir(), 'j.jsonl');
    writeFileSync(`${file}.lock`, content);
    return { file, lock: `${file}.lock` };
  }
  const refusal = (file: string): string => {
    try {
      acquireLock(file);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('the lock was taken');
  };

  it('an empty lock file', () => {
    const { file, lock } = locked('');
    const m = refusal(file);
    expect(m).toContain(`${file} cannot be opened for writing: its lock file ${lock} is empty`);
    expect(m).toContain(`check with "pgrep -af firebreak"), clear it with: rm "${lock}"`);
    expect(readFileSync(lock, 'utf8')).toBe('');
  });

  it('a garbled lock file', () => {
    const { file, lock } = locked('{"pid": "not a number"');
    const m = refusal(file);
    expect(m).toMatch(/is not a firebreak lock \(22 bytes that do not say who holds it\)/);
    expect(m).toContain(`Look at it ("cat ${lock}")`);
    expect(m).toContain(`rm "${lock}"`);
    // A shape that parses but names nobody is garbled too.
    const other = locked('{"pid":0,"host":"h"}');
    expect(refusal(other.file)).toMatch(/is not a firebreak lock/);
  });

  it('a live pid on this host that is not firebreak (the holder died; its pid was reused)', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      const { file, lock } = locked(
        JSON.stringify({ pid: sleeper.pid, host: hostname(), user: 'ghost', since: '2026-04-20T14:00:00Z' }),
      );
      const m = refusal(file);
      expect(m).toContain(
        `names ghost (pid ${sleeper.pid} on ${hostname()}, since 2026-04-20T14:00:00Z), but pid ${sleeper.pid} is now "sleep 30", not firebreak`,
      );
      expect(m).toContain(
        `Check with "ps -o pid,args -p ${sleeper.pid}"; if it is not firebreak, clear the lock with: rm "${lock}"`,
      );
      expect(existsSync(lock)).toBe(true);
    } finally {
      sleeper.kill();
    }
  });

  it('a lock from another host', () => {
    const { file, lock } = locked(
      JSON.stringify({ pid: 4242, host: 'jump-box-2', user: 'dana', since: '2026-04-20T14:00:00Z' }),
    );
    const m = refusal(file);
    expect(m).toContain(
      'names dana (pid 4242 on jump-box-2, since 2026-04-20T14:00:00Z), on another machine, which firebreak cannot check from here',
    );
    expect(m).toContain(
      `On jump-box-2, check with "ps -o pid,args -p 4242"; if that firebreak is gone, clear the lock with: rm "${lock}"`,
    );
  });

  it('a live firebreak (node) holder is named as before; a dead one on this host is cleared', () => {
    const { file } = locked(
      JSON.stringify({ pid: process.pid, host: hostname(), user: 'alice', since: '2026-04-20T14:00:00Z' }),
    );
    expect(refusal(file)).toMatch(
      /is already open for writing by alice \(pid \d+ on .*\)\. Close that firebreak first/,
    );
    const dead = locked(
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), user: 'ghost', since: '2026-04-20T14:00:00Z' }),
    );
    acquireLock(dead.file).release();
  });
});
