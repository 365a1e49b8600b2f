// Reading attacker-shaped records. Every raw field may be missing, of the wrong type, huge, or
// named `__proto__`: these helpers only follow own properties, only return the asked-for type,
// and never throw, so a rule that cannot read what it needs simply does not match.

import type { IncidentEvent } from '../domain/event.js';
import { neutraliseLine } from '../safety/neutralise.js';

/** The value at `path` (own properties only), or undefined. Numbers index arrays. */
export function at(x: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = x;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
  }
  return cur;
}

export function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** A finite number, or a numeric string ("8.0" — GuardDuty's console exports use strings). */
export function num(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x === 'string' && x.trim() !== '' && x.length < 32) {
    const n = Number(x);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function arr(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

/** A value that may be one item or a list of them (IAM policy Action, Resource, Statement). */
export function oneOrMany(x: unknown): unknown[] {
  return Array.isArray(x) ? x : x === undefined ? [] : [x];
}

/**
 * Shortens an attacker-supplied string and neutralises control and bidi characters before it goes
 * into a title or why (journaled, then shown at 03:00); the raw record keeps the exact bytes.
 */
export function clip(s: string, max = 120): string {
  return neutraliseLine(s.length > max ? `${s.slice(0, max - 1)}…` : s);
}

/** Event time in epoch ms, or undefined when the source clock gave nonsense. */
export function timeMs(e: IncidentEvent): number | undefined {
  const t = Date.parse(e.eventTime);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * A policy document as CloudTrail logs it: an object (S3 bucketPolicy), a JSON string (IAM
 * policyDocument), or a URL-encoded JSON string (older IAM records). Undefined if none parses.
 */
export function policyDocument(x: unknown): unknown {
  if (x && typeof x === 'object') return x;
  if (typeof x !== 'string' || x.length > 200_000) return undefined;
  for (const text of [x, safeDecode(x)]) {
    if (text === undefined) continue;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The Allow statements of a policy document. */
export function allowStatements(doc: unknown): unknown[] {
  return oneOrMany(at(doc, 'Statement')).filter((s) => at(s, 'Effect') === 'Allow');
}

/** True for RFC 1918 / loopback / link-local / CGNAT IPv4 and IPv6 ULA / loopback addresses. */
export function isPrivateIp(ip: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = ip.toLowerCase();
  return v6 === '::1' || /^f[cd][0-9a-f]{2}:/.test(v6) || v6.startsWith('fe80:');
}

/** A literal public IP address (CloudTrail also puts service names like "s3.amazonaws.com" here). */
export function isPublicIp(ip: string | undefined): boolean {
  if (!ip) return false;
  const isV4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
  const isV6 = /^[0-9a-fA-F:]+$/.test(ip) && ip.includes(':');
  return (isV4 || isV6) && !isPrivateIp(ip);
}
