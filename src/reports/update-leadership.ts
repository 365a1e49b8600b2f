// The leadership summary: impact, status, the next decision and the next update, on one screen.
// Leadership decides (notify, accept downtime, fund the fix); it does not need file paths,
// hashes, request ids or the action log, which stay in the internal update.

import type { PhaseId } from '../domain/phases.js';
import { severityInfo } from '../domain/severity.js';
import type { ReportFacts } from './facts.js';
import { duration, mdText, span, utcMinute } from './markdown.js';
import { containmentNotHeld, statusLine } from './update-status.js';

const SLASHED_WORDS = new Set(['and/or', 'tcp/ip', 'i/o', 'w/o', 'either/or', '24/7']);

/** Drops what leadership cannot use: paths and hashes. */
export function withoutPathsOrHashes(text: string): string {
  return text
    .replace(/\b[0-9a-f]{16,}\b/gi, 'a fingerprint')
    .replace(/(?:~|\.{1,2})?\/?[\w.@+-]+(?:\/[\w.@+-]*)+/g, (m) => (SLASHED_WORDS.has(m.toLowerCase()) ? m : 'a file'))
    .replace(/\b[A-Za-z]:\\\S+/g, 'a file');
}

const clean = (t: string): string => mdText(withoutPathsOrHashes(t));

function impact(f: ReportFacts): string[] {
  const lines = ['', '### Impact'];
  lines.push(
    f.postmortem.impact ? clean(f.postmortem.impact) : 'Not yet known: the responders are determining the scope.',
  );
  if (f.exfiltrationActive || f.personalData) lines.push('');
  if (f.exfiltrationActive) lines.push('- Data exfiltration is flagged as **still active**.');
  if (f.personalData) {
    const regimes = f.personalData.regimes.map((r) => r.toUpperCase()).join(', ');
    lines.push(`- Personal data is involved${regimes ? ` (${regimes})` : ''}.`);
  }
  return lines;
}

/** What the team is doing in each phase, as leadership would be told it. */
const DOING: Record<PhaseId, string> = {
  preparation: 'preparing the response',
  detection: 'confirming what happened',
  triage: 'assessing the severity and the scope',
  containment: 'stopping the activity',
  evidence: 'preserving evidence for the investigation',
  eradication: 'removing the attacker’s access and fixing the weakness',
  recovery: 'restoring normal service',
  review: 'reviewing the incident',
};

function status(f: ReportFacts): string[] {
  const lines = ['', '### Status'];
  const ok = f.actions.filter((a) => a.status === 'succeeded' || a.status === 'verified').length;
  const failed = f.actions.filter((a) => a.status === 'failed' || a.status === 'verify-failed').length;
  const tally = `${ok} response action${ok === 1 ? '' : 's'} completed${failed ? `, ${failed} did not take effect` : ''}.`;
  if (f.resolvedAt) lines.push(`Resolved at ${utcMinute(f.resolvedAt)}. ${tally}`);
  else if (f.containedAt) {
    const took = span(f.detectedAt, f.containedAt);
    // A phase not moved on since containment (still "detection") would say the team is behind
    // what it has done: after containment the work is at least the investigation.
    const before = ['preparation', 'detection', 'triage', 'containment'].includes(f.phase);
    lines.push(
      `Contained at ${utcMinute(f.containedAt)}${took !== undefined && took >= 0 ? `, ${duration(took)} after detection` : ''}; the team is now ${before ? 'investigating how it happened and preserving evidence' : DOING[f.phase]}. ${tally}`,
    );
  } else if (f.containmentFailed)
    lines.push(`Not contained: ${containmentNotHeld(f, false)}; the team is ${DOING[f.phase]}. ${tally}`);
  else lines.push(`Not yet contained; the team is ${DOING[f.phase]}. ${tally}`);
  return lines;
}

/** "notify the supervisory authority" → "notice to the supervisory authority": a noun, so "whether to notify" is said once. */
function dueThing(what: string): string {
  if (what.startsWith('notify ')) return `notice to ${what.slice('notify '.length)}`;
  if (what.startsWith('file ')) return `filing of ${what.slice('file '.length)}`;
  return what;
}

function decisions(f: ReportFacts): string[] {
  const lines = ['', '### Next decision'];
  // One notify / do-not-notify decision per regime, however many reports its clocks count down.
  const undecided = new Map<string, typeof f.clocks>();
  for (const c of f.clocks) if (!c.decision) undecided.set(c.regime, [...(undecided.get(c.regime) ?? []), c]);
  for (const [regime, clocks] of undecided) {
    const due = clocks.map(
      (c) => `${dueThing(c.what)} ${c.dueAt < f.now ? 'OVERDUE since' : 'due'} ${utcMinute(c.dueAt)}`,
    );
    lines.push(`- ${regime.toUpperCase()}: whether to notify — ${due.join('; ')}`);
  }
  if (!f.containedAt || f.exfiltrationActive)
    lines.push('- Whether to accept further containment that may interrupt service');
  else if (f.resolvedAt) {
    const open = f.items.filter((i) => i.status === 'open').length;
    lines.push(
      open
        ? `- Owners and funding for the ${open} open post-incident action item${open === 1 ? '' : 's'}`
        : '- None: the review’s action items are closed.',
    );
  } else lines.push('- When to restore normal service once eradication is confirmed');
  return lines;
}

/** The leadership summary draft, as Markdown. */
export function leadershipUpdateMarkdown(f: ReportFacts): string {
  const sev = f.severity ? severityInfo(f.severity.level) : undefined;
  const ic = f.roles.find((r) => r.role === 'ic');
  const lines = [
    `## Incident summary for leadership: ${mdText(f.incident.id)}`,
    '',
    `> **DRAFT** for leadership — written ${utcMinute(f.now)} from the incident journal (${f.records} records). ` +
      'Read and edit it before sending; then record what was sent (`:update-send leadership` in the cockpit, or `firebreak update`).',
    '',
    `**Status:** ${statusLine(f)}`,
    `**Severity:** ${sev ? `${sev.name} (${sev.code})` : 'Not yet assessed'}`,
    `**Time detected:** ${f.detectedAt ? utcMinute(f.detectedAt) : 'not recorded'}`,
    `**Time contained:** ${f.containedAt ? utcMinute(f.containedAt) : 'not yet contained'}`,
  ];
  if (f.resolvedAt) lines.push(`**Time resolved:** ${utcMinute(f.resolvedAt)}`);
  lines.push(`**Incident commander:** ${ic ? mdText(ic.person) : 'not assigned'}`);
  // The same reading the cockpit header counts down (store/clock-selectors.ts cadenceAsOf).
  if (f.nextUpdate)
    lines.push(
      `**Next update:** ${f.nextUpdate.overdue ? 'OVERDUE since' : 'by'} ${utcMinute(f.nextUpdate.dueAt)} (every ${f.cadenceHours} h)`,
    );
  lines.push('', clean(f.postmortem.summary ?? f.incident.title));
  lines.push(...impact(f), ...status(f), ...decisions(f));
  return lines.join('\n') + '\n';
}
