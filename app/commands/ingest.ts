// The path every live or imported event takes: drop what the journal already holds, journal the
// rest (group commit), then run the detection rules on exactly those new events and journal what
// they raise. Detections come after their events so every eventKey they name resolves.

import type { IncidentEvent } from '../../src/domain/event.js';
import { createDetector, type Detector } from '../../src/detections/index.js';
import type { IncidentStore } from '../../store/store.js';

export interface IngestResult {
  fresh: number;
  detections: number;
}

export function createIngest(store: IncidentStore, actor: string, detector: Detector = createDetector()) {
  return async function ingest(events: readonly IncidentEvent[]): Promise<IngestResult> {
    const { actions } = store.getState();
    const fresh = await actions.ingestEvents(events, actor);
    const raised = fresh.flatMap((e) => detector.observe(e));
    await actions.raiseDetections(raised, 'firebreak');
    return { fresh: fresh.length, detections: raised.length };
  };
}
