// Append-only storage in fixed-size chunks. Appending never copies what is already stored (a
// plain array would be copied on every immutable update: O(N) per event at 1M events), and a
// snapshot is just a length: items past it are invisible to the holder of an older state, so
// states folded from the journal stay immutable in effect.

const CHUNK = 4096;

export class ChunkedLog<T> {
  private readonly chunks: T[][] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: T): number {
    const c = this.size % CHUNK;
    if (c === 0) this.chunks.push(new Array<T>());
    this.chunks[this.chunks.length - 1]!.push(item);
    return this.size++;
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.chunks[Math.floor(i / CHUNK)]![i % CHUNK];
  }

  /** Items [from, to) of the first `limit` (a snapshot length), in order. */
  slice(from: number, to: number, limit = this.size): T[] {
    const out: T[] = [];
    const end = Math.min(to, limit, this.size);
    for (let i = Math.max(0, from); i < end; i++) out.push(this.chunks[Math.floor(i / CHUNK)]![i % CHUNK]!);
    return out;
  }

  /** Index of the first item for which `pred` is false, given items are partitioned true…false. */
  partitionPoint(pred: (item: T) => boolean, limit = this.size): number {
    let lo = 0;
    let hi = Math.min(limit, this.size);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.at(mid)!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Interns low-cardinality strings (actors, actions, regions, source IPs) so a million events
 * share a few thousand string objects instead of each holding its own copy from JSON.parse.
 */
export class Interner {
  private readonly map = new Map<string, string>();
  intern(s: string): string;
  intern(s: string | undefined): string | undefined;
  intern(s: string | undefined): string | undefined {
    if (s === undefined) return undefined;
    const hit = this.map.get(s);
    if (hit !== undefined) return hit;
    // Bound the table: high-cardinality values (ids) gain nothing from interning.
    if (this.map.size < 200_000) this.map.set(s, s);
    return s;
  }
}
