// Reading an incident's segments back from the bucket (or from a folder of downloaded ones).
// Segments are immutable, so each key is fetched once and kept.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { incidentPrefix } from './segment.js';
import type { ShareTransport } from './transport.js';
import type { Refusal, SegmentObject } from './verify.js';

export class SegmentCache {
  private readonly held = new Map<string, Buffer>();

  constructor(
    private readonly transport: ShareTransport,
    private readonly prefix: string,
  ) {}

  /**
   * Every segment of the incident (all writers, or all but `skipWriter`), fetching only new keys.
   * A listing that fails throws (offline); an object that cannot be read (the SDK refuses bytes
   * whose checksum does not match) is refused by key and tried again next time.
   */
  async fetch(incidentId: string, skipWriter?: string): Promise<{ objects: SegmentObject[]; unreadable: Refusal[] }> {
    const folder = incidentPrefix(this.prefix, incidentId);
    const listed = await this.transport.list(folder);
    const objects: SegmentObject[] = [];
    const unreadable: Refusal[] = [];
    for (const o of listed) {
      if (skipWriter && o.key.startsWith(`${folder}${skipWriter}/`)) continue;
      const writerId = o.key.slice(folder.length).split('/')[0];
      const rewritten = (o.versions ?? 1) > 1 && o.originalVersionId !== undefined;
      if (rewritten)
        unreadable.push({
          key: o.key,
          writerId,
          seq: 0,
          reason: `rewritten: the key has ${o.versions} versions (each segment is written once); the original version is read`,
        });
      let body = this.held.get(o.key);
      if (!body) {
        try {
          body = await this.transport.get(o.key, rewritten ? o.originalVersionId : undefined);
        } catch (e) {
          unreadable.push({
            key: o.key,
            writerId,
            seq: 0,
            reason: `cannot be read: ${e instanceof Error ? e.message : String(e)}`,
          });
          continue;
        }
        this.held.set(o.key, body);
      }
      objects.push({ key: o.key, body });
    }
    return { objects, unreadable };
  }
}

/**
 * Segments downloaded into a folder (`aws s3 cp --recursive s3://bucket/prefix DIR`): every
 * `*.jsonl` below it, keyed by its path relative to the folder, so the prefix is ''.
 */
export async function readSegmentDir(dir: string): Promise<SegmentObject[]> {
  const out: SegmentObject[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
    const path = join(e.parentPath, e.name);
    out.push({ key: relative(dir, path).split(sep).join('/'), body: await readFile(path) });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
