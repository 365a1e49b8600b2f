// One Falco JSON alert (json_output: true; one object per line) → IncidentEvent. Falco gives
// alerts no id, so the id is the SHA-256 of the line as written: deterministic, so importing the
// same file twice dedupes, and two identical lines really are the same alert.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { IncidentEvent } from '../../domain/event.js';

export const falcoAlertSchema = z.looseObject({
  output: z.string(),
  priority: z.string(),
  rule: z.string().min(1),
  time: z.string(),
  hostname: z.string().optional(),
  output_fields: z.record(z.string(), z.unknown()).optional(),
});

export type FalcoResult = { ok: true; event: IncidentEvent } | { ok: false; reason: string };

/** Falco prints nanoseconds (…05.123456789Z); Date.parse wants at most milliseconds. */
function parseFalcoTime(t: string): number {
  return Date.parse(t.replace(/(\.\d{3})\d+/, '$1'));
}

export function normaliseFalcoLine(line: string, raw: unknown, discoveredAt: string): FalcoResult {
  const parsed = falcoAlertSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, reason: `not a Falco alert: ${i.path.join('.') || 'alert'}: ${i.message}` };
  }
  const a = parsed.data;
  const ms = parseFalcoTime(a.time);
  if (Number.isNaN(ms)) return { ok: false, reason: 'not a Falco alert: time: not a time' };
  const f = a.output_fields ?? {};
  const str = (k: string) => (typeof f[k] === 'string' && f[k] !== '' ? f[k] : undefined);
  const ns = str('k8s.ns.name');
  const pod = str('k8s.pod.name');
  const podPath = ns && pod ? `namespaces/${ns}/pods/${pod}` : undefined;
  const container = str('container.id');
  const targets = [
    podPath,
    container && container !== 'host' ? `container/${container}` : undefined,
    a.hostname ? `host/${a.hostname}` : undefined,
  ].filter((t): t is string => t !== undefined);
  const event: IncidentEvent = {
    source: 'falco',
    id: createHash('sha256').update(line, 'utf8').digest('hex'),
    eventTime: new Date(ms).toISOString(),
    discoveredAt,
    actor: str('user.name') ?? (ns && pod ? `${ns}/${pod}` : (a.hostname ?? 'unknown')),
    action: a.rule,
    targets,
    // An alert reports something that was observed, not an API call that could be refused.
    outcome: 'unknown',
    raw,
    ...(ns ? { namespace: ns } : {}),
  };
  return { ok: true, event };
}
