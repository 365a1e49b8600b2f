// Ids already delivered, so a relist (which replays every object) adds nothing twice.
// Bounded, oldest dropped first (in O(1): src/domain/bounded-set.ts). Forgetting an id only
// matters if its object is relisted later, and by then the API server has usually forgotten the
// Event too (1 h TTL).

import { BoundedSet } from '../../domain/bounded-set.js';

export class SeenIds {
  private readonly ids: BoundedSet<string>;

  constructor(max: number) {
    this.ids = new BoundedSet(Math.max(1, max));
  }

  /** True if the id is new (and remembers it), false if it was seen. */
  add(id: string): boolean {
    return this.ids.add(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
