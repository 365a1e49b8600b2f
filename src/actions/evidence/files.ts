// Writing and re-reading evidence files. An evidence file appears under its final name only when
// it is complete and on disk (written to `.partial`, fsync'd, renamed), so a crash or a failed
// call mid-way never leaves a partial file that looks like finished evidence; and an existing
// evidence file is never overwritten.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ActionError } from '../errors.js';

export interface FileDigest {
  sha256: string;
  size: number;
  /** Newline-terminated lines (JSON-lines files end every record with \n). */
  lines: number;
}

/** SHA-256 (hex), size and line count of a file, streamed (evidence files can be large). */
export async function digestFile(path: string): Promise<FileDigest> {
  const h = createHash('sha256');
  let size = 0;
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    h.update(b);
    size += b.length;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
  }
  return { sha256: h.digest('hex'), size, lines };
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `lines` (each without its newline) as one complete evidence file; refuses to overwrite. */
export async function writeEvidenceLines(path: string, lines: Iterable<string>): Promise<FileDigest> {
  if (await exists(path))
    throw new ActionError(
      `evidence file ${path} already exists: evidence is never overwritten`,
      'EvidenceExists',
      're-plan (a new window gets a new file name)',
    );
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const h = createHash('sha256');
  let size = 0;
  let count = 0;
  const fh = await open(partial, 'w', 0o600);
  try {
    for (const line of lines) {
      const b = Buffer.from(`${line}\n`, 'utf8');
      h.update(b);
      size += b.length;
      count++;
      await fh.write(b);
    }
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(partial, { force: true });
    throw e;
  }
  await fh.close();
  await rename(partial, path);
  return { sha256: h.digest('hex'), size, lines: count };
}

/** A file-name-safe form of an identifier (role names allow +=,.@-_; Vault prefixes have slashes). */
export function fileSafe(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 96);
}

/** 2026-04-20T14:40:00.000Z → 20260420T144000Z (sortable, no colons for any file system). */
export function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}
