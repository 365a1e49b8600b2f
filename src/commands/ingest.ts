// The path every live or imported event takes: drop what the journal already holds, journal the
// rest (group commit), then run the detection rules on exactly those new events and journal what
// they raise. Detections come after their events so every eventKey they name resolves.

import { eventKey, type IncidentEvent } from '../domain/event.js';
import { createDetector, type Detector } from '../detections/index.js';
import type { IncidentStore } from '../../store/store.js';

export interface IngestResult {
  fresh: number;
  detections: number;
}

export function createIngest(store: IncidentStore, actor: string, detector: Detector = createDetector()) {
  return async function ingest(events: readonly IncidentEvent[]): Promise<IngestResult> {
    const held = store.getState().state.eventIndex;
    const fresh = events.filter((e) => !held.has(eventKey(e)));
    if (fresh.length === 0) return { fresh: 0, detections: 0 };
    const { actions } = store.getState();
    await actions.ingestEvents(fresh, actor);
    let detections = 0;
    for (const e of fresh) {
      for (const d of detector.observe(e)) {
        await actions.raiseDetection(d, 'firebreak');
        detections++;
      }
    }
    return { fresh: fresh.length, detections };
  };
}
