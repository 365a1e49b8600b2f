// Ids already delivered, so a relist (which replays every object) adds nothing twice.
// Bounded: a Map keeps insertion order, so the oldest id is dropped first. Forgetting an id
// only matters if its object is relisted later, and by then the API server has usually
// forgotten the Event too (1 h TTL).

export class SeenIds {
  private readonly ids = new Map<string, true>();

  constructor(private readonly max: number) {}

  /** True if the id is new (and remembers it), false if it was seen. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.set(id, true);
    if (this.ids.size > this.max) {
      const oldest = this.ids.keys().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
