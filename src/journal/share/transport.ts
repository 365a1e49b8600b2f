// Where segments are published and read back. The engine needs three things of the bucket: list a
// folder, read an object, and create an object that can never be replaced (s3-transport.ts: S3
// Object Lock in COMPLIANCE mode, with If-None-Match so a writer never even makes a second version
// of a key). The in-memory one is for unit tests.

import type { SealedSegment } from './segment.js';

export interface ListedObject {
  key: string;
  size: number;
  /** How many versions the key has (an honest writer makes one), and the first one's id. */
  versions?: number;
  originalVersionId?: string;
}

export interface ShareTransport {
  /** Every key under `prefix`, in key order. */
  list(prefix: string): Promise<ListedObject[]>;
  /** The current version, or `versionId` (the original one Object Lock keeps). */
  get(key: string, versionId?: string): Promise<Buffer>;
  /** `created`, or `exists` when the key is already taken (by this very segment or another). */
  put(segment: SealedSegment): Promise<'created' | 'exists'>;
}

/** A bucket in memory (tests): keys are write-once, as Object Lock with If-None-Match makes them. */
export class MemoryTransport implements ShareTransport {
  readonly objects = new Map<string, Buffer>();
  offline = false;

  private reachable(): void {
    if (this.offline) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  }

  async list(prefix: string): Promise<ListedObject[]> {
    this.reachable();
    return [...this.objects]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, b]) => ({ key, size: b.length }));
  }

  async get(key: string): Promise<Buffer> {
    this.reachable();
    const b = this.objects.get(key);
    if (!b) throw new Error(`NoSuchKey: ${key}`);
    return Buffer.from(b);
  }

  async put(segment: SealedSegment): Promise<'created' | 'exists'> {
    this.reachable();
    if (this.objects.has(segment.key)) return 'exists';
    this.objects.set(segment.key, Buffer.from(segment.body));
    return 'created';
  }
}
