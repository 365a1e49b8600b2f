// The lock is written completely or not at all: an I/O error while writing it leaves no lock (and
// no temp file) behind, so the next writer is not refused as "already open".

import { existsSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, type LockFs } from '../../../src/journal/lock.js';
import * as nodeFs from 'node:fs';
import { tempDir } from '../../helpers/tmp.js';

const real: LockFs = { ...nodeFs, writeSync: (fd, s) => writeSync(fd, s) };

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
