import { describe, expect, it } from 'vitest';
import { nextPhase, parsePhase, PHASES } from '../../../src/domain/phases.js';
import { parseRole } from '../../../src/domain/roles.js';
import { parseSeverity, responseDeadline, severityInfo } from '../../../src/domain/severity.js';
import { codenameFor, isIncidentId, newIncidentId } from '../../../src/domain/incident.js';

describe('severity', () => {
  it('maps Sev0–3 to the seed names, criteria and response times', () => {
    expect([0, 1, 2, 3].map((l) => severityInfo(l as 0).name)).toEqual(['Critical', 'High', 'Medium', 'Low']);
    expect(severityInfo(0).criteria).toMatch(/exfiltration/);
    expect(severityInfo(1).response).toBe('Within 1 hour');
  });

  it('parses what a responder types', () => {
    expect(['0', 'sev1', 'Sev 2', 'low', 'CRITICAL', 'high'].map(parseSeverity)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(parseSeverity('4')).toBeUndefined();
    expect(parseSeverity('urgent')).toBeUndefined();
  });

  it('computes the response deadline: immediate, 1 h, 4 h, next business day 09:00 UTC', () => {
    const t = Date.parse('2026-04-24T14:32:00Z'); // a Friday
    expect(responseDeadline(0, t)).toBe(t);
    expect(responseDeadline(1, t)).toBe(t + 3_600_000);
    expect(responseDeadline(2, t)).toBe(t + 4 * 3_600_000);
    expect(new Date(responseDeadline(3, t)).toISOString()).toBe('2026-04-27T09:00:00.000Z'); // Monday
    expect(new Date(responseDeadline(3, Date.parse('2026-04-21T23:59:00Z'))).toISOString()).toBe(
      '2026-04-22T09:00:00.000Z',
    );
  });
});

describe('phases and roles', () => {
  it('follows the NIST lifecycle in order and ends at the review', () => {
    expect(PHASES.map((p) => p.name)).toEqual([
      'Preparation',
      'Detection',
      'Triage',
      'Containment',
      'Evidence collection',
      'Eradication',
      'Recovery',
      'Post-incident review',
    ]);
    expect(nextPhase('triage')).toBe('containment');
    expect(nextPhase('review')).toBeUndefined();
  });

  it('parses ids, names and unique prefixes, refusing ambiguous ones', () => {
    expect(parsePhase('Evidence collection')).toBe('evidence');
    expect(parsePhase('erad')).toBe('eradication');
    expect(parsePhase('re')).toBeUndefined(); // recovery or review
    expect(parseRole('Incident commander')).toBe('ic');
    expect(parseRole('scr')).toBe('scribe');
    expect(parseRole('')).toBeUndefined();
  });
});

describe('incident ids', () => {
  it('generates ids of the INC-YYYY-NNN form and a stable neutral codename', () => {
    const id = newIncidentId(new Date('2026-04-20T14:32:00Z'));
    expect(isIncidentId(id)).toBe(true);
    expect(id.startsWith('INC-2026-')).toBe(true);
    expect(codenameFor('INC-2026-042')).toBe(codenameFor('INC-2026-042'));
    expect(codenameFor('INC-2026-042')).toMatch(/^[A-Z]+ [A-Z]+$/);
  });
});
