// A map that keeps at most `max` entries and forgets the oldest, in O(1) amortised per set.
//
// Why not `map.delete(map.keys().next().value)`: a fresh iterator starts at the table's first slot
// and walks every hole the deletes in front of it left (V8 compacts an ordered hash table only
// when it grows), so evicting from a map running at its cap costs up to its capacity per call
// (bounded-set.ts says the same of sets). One iterator kept across calls never walks a hole
// twice: everything behind it was evicted, or deleted and set again (which moves an entry to the
// end, ahead of it), so it always stands at the oldest entry. Map iterators stay valid across
// mutation (https://tc39.es/ecma262/#sec-%mapiteratorprototype%.next).

export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  private cursor: MapIterator<[K, V]> | undefined;

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError('BoundedMap max must be at least 1');
  }

  get(k: K): V | undefined {
    return this.map.get(k);
  }

  has(k: K): boolean {
    return this.map.has(k);
  }

  delete(k: K): boolean {
    return this.map.delete(k);
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * Sets `k` as the newest entry (an existing one moves to the end: recently used). Past `max`,
   * the oldest entry is forgotten and returned, so a caller can still act on it.
   */
  set(k: K, v: V): [K, V] | undefined {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size <= this.max) return undefined;
    let r = (this.cursor ??= this.map.entries()).next();
    if (r.done) r = (this.cursor = this.map.entries()).next();
    const oldest = r.value!;
    this.map.delete(oldest[0]);
    return oldest;
  }

  values(): MapIterator<V> {
    return this.map.values();
  }
}
