// Markdown and time helpers every report shares. Report text quotes attacker-controlled strings
// (event actors, targets, notes that quote them); mdText and mdCode (escape.ts) write them so that
// neither the terminal nor a Markdown renderer acts on them. Times are UTC, written as the seed's
// template writes them.

export { mdCode, mdText } from './escape.js';

const toIso = (t: string | number): string => (typeof t === 'number' ? new Date(t).toISOString() : t);

/** "2026-04-20 14:32 UTC" (the seed's "Time detected" style). */
export function utcMinute(t: string | number): string {
  return `${toIso(t).slice(0, 10)} ${toIso(t).slice(11, 16)} UTC`;
}

/** "2026-04-20 14:32:05" — for timeline rows under a "(UTC)" heading. */
export function utcSecond(t: string | number): string {
  return `${toIso(t).slice(0, 10)} ${toIso(t).slice(11, 19)}`;
}

/** "2026-04-20" */
export function utcDay(t: string | number): string {
  return toIso(t).slice(0, 10);
}

/** A span as responders say it: "45 s", "36 min", "2 h 05 min", "3 d 4 h"; negative spans keep their sign. */
export function duration(ms: number): string {
  if (ms < 0) return `−${duration(-ms)}`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Milliseconds from a to b, or undefined when either is unknown. */
export function span(a: string | number | undefined, b: string | number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const x = typeof a === 'number' ? a : Date.parse(a);
  const y = typeof b === 'number' ? b : Date.parse(b);
  return Number.isNaN(x) || Number.isNaN(y) ? undefined : y - x;
}

/** The placeholder an empty section shows: what to fill in, and the palette command that does it. */
export function toFill(what: string, how: string): string {
  return `_Not recorded yet: ${what}. Add it in the cockpit with \`${how}\`._`;
}
