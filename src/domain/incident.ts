// The incident itself: the identifiers responders quote and the four times every report needs.

export const INCIDENT_ID_PATTERN = /^INC-\d{4}-\d{3,6}$/;

export function isIncidentId(x: unknown): x is string {
  return typeof x === 'string' && INCIDENT_ID_PATTERN.test(x);
}

/**
 * A new id for an incident opened at `now`: INC-<year>-<3 digits>. Without a central registry the
 * number comes from the clock (minutes into the year, mod 1000) so two incidents opened on one
 * machine the same year rarely collide; teams with a ticketing system pass `--id`.
 */
export function newIncidentId(now: Date): string {
  const year = now.getUTCFullYear();
  const minutes = Math.floor((now.getTime() - Date.UTC(year, 0, 1)) / 60_000);
  return `INC-${year}-${String(minutes % 1000).padStart(3, '0')}`;
}

const CODENAME_WORDS = [
  'ASH',
  'BASALT',
  'CINDER',
  'DUSK',
  'EMBER',
  'FLINT',
  'GRANITE',
  'HARBOR',
  'IRON',
  'JUNIPER',
  'KESTREL',
  'LANTERN',
  'MERIDIAN',
  'NIMBUS',
  'OBSIDIAN',
  'PUMICE',
  'QUARTZ',
  'RAVEN',
  'SLATE',
  'TUNDRA',
  'UMBER',
  'VESPER',
  'WILLOW',
  'ZEPHYR',
];

/**
 * A codename derived from the id: neutral words, so the name said aloud on a call reveals nothing
 * about the systems involved (a channel the attacker may read).
 */
export function codenameFor(incidentId: string): string {
  let h = 0;
  for (const c of incidentId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${CODENAME_WORDS[h % CODENAME_WORDS.length]} ${CODENAME_WORDS[(h >>> 8) % CODENAME_WORDS.length]}`;
}

/** The four times of an incident, UTC ISO-8601; undefined until they happen. */
export interface IncidentTimes {
  openedAt: string;
  detectedAt?: string;
  containedAt?: string;
  resolvedAt?: string;
}
