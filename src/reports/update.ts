// The incident update (the seed's "Incident communication template": status, severity, time
// detected, time contained, summary, scope, actions taken, next steps), drafted from the journal
// for one audience. Internal gets every detail; legal adds personal data, every notification
// clock with its due time, basis and decision, and the evidence held. Leadership
// (update-leadership.ts) and customers (update-customers.ts) get texts written for them, not
// this one with words swapped. Always a DRAFT: a person reads it before it is sent.

import { nextPhase, type PhaseId } from '../domain/phases.js';
import { severityInfo } from '../domain/severity.js';
import { actionPhrase, targetName } from './action-phrase.js';
import type { ActionFact, Audience, ReportFacts } from './facts.js';
import { duration, mdText, span, utcMinute } from './markdown.js';
import { customerUpdateMarkdown } from './update-customers.js';
import { leadershipUpdateMarkdown } from './update-leadership.js';
import { containmentNotHeld, statusLine } from './update-status.js';

export { statusLine };

const AUDIENCE_LABEL: Record<'internal' | 'legal', string> = {
  internal: 'the internal incident channel',
  legal: 'legal and compliance',
};

/** What happens after each phase, in words a reader outside the response understands. */
const AFTER_PHASE: Record<PhaseId, string> = {
  preparation: 'Detection: confirm the signal and open the incident',
  detection: 'Triage: assess severity and determine the scope',
  triage: 'Containment: isolate the affected systems without destroying evidence',
  containment: 'Evidence collection: preserve memory, disk snapshots and logs',
  evidence: 'Eradication: remove the unauthorised access and fix the weakness that allowed it',
  eradication: 'Recovery: rebuild from known-good infrastructure and verify it is clean',
  recovery: 'Post-incident review: reconstruct the timeline and agree improvements',
  review: 'Track the review’s action items to completion',
};

function done(a: ActionFact): boolean {
  return a.status === 'succeeded' || a.status === 'verified' || a.status === 'verify-failed';
}

function outcome(a: ActionFact): string {
  if (a.status === 'verified')
    return `succeeded, verified${a.verification ? ` (${mdText(a.verification.detail)})` : ''}`;
  if (a.status === 'verify-failed')
    return `succeeded, but VERIFICATION FAILED${a.verification ? ` (${mdText(a.verification.detail)})` : ''}`;
  return 'succeeded, not yet verified';
}

function header(f: ReportFacts, audience: 'internal' | 'legal'): string[] {
  const sev = f.severity ? severityInfo(f.severity.level) : undefined;
  const lines = [
    `## Incident Update: ${mdText(f.incident.id)}`,
    '',
    `> **DRAFT** for ${AUDIENCE_LABEL[audience]} — written ${utcMinute(f.now)} from the incident journal (${f.records} records). ` +
      'Read and edit it before sending; then record what was sent (`:update-send ' +
      audience +
      '` in the cockpit, or `firebreak update`).',
    '',
    `**Status:** ${statusLine(f)}`,
    `**Severity:** ${sev ? `${sev.name} (${sev.code}) — response ${sev.response.toLowerCase()}` : 'Not yet assessed'}`,
    `**Time detected:** ${f.detectedAt ? `${utcMinute(f.detectedAt)}${f.detectedBasis === 'first detection' ? ' (first detection)' : ''}` : 'not recorded'}`,
    `**Time contained:** ${f.containedAt ? `${utcMinute(f.containedAt)}${f.containedBasis && f.containedBasis !== 'recorded' ? ` (${mdText(f.containedBasis)})` : ''}` : `not yet contained${f.containmentFailed ? ` — ${containmentNotHeld(f)}` : ''}`}`,
  ];
  if (f.resolvedAt) lines.push(`**Time resolved:** ${utcMinute(f.resolvedAt)}`);
  const ic = f.roles.find((r) => r.role === 'ic');
  lines.push(`**Incident commander:** ${ic ? mdText(ic.person) : 'not assigned'}`);
  if (f.nextUpdate)
    lines.push(
      `**Next leadership update:** ${f.nextUpdate.overdue ? 'OVERDUE since' : 'by'} ${utcMinute(f.nextUpdate.dueAt)} (every ${f.cadenceHours} h)`,
    );
  return lines;
}

function summary(f: ReportFacts): string[] {
  const text = f.postmortem.summary ?? f.incident.title;
  const lines = ['', '### Summary', mdText(text)];
  if (f.detections.length) {
    const titles = [...new Set(f.detections.map((d) => d.title.replace(/ — suggests Sev\d$/, '')))];
    lines.push(
      '',
      `Detected through: ${titles.slice(0, 3).map(mdText).join('; ')}${titles.length > 3 ? `; and ${titles.length - 3} more` : ''}.`,
    );
  }
  return lines;
}

function scope(f: ReportFacts, audience: 'internal' | 'legal'): string[] {
  const lines = ['', '### Scope'];
  const start = f.firstSignal?.eventTime;
  const end = f.containedAt;
  const window = span(start, end);
  if (start && end && window !== undefined)
    lines.push(
      `- Activity window: ${utcMinute(start)} (first signal) to ${utcMinute(end)} (contained), approximately ${duration(window)}`,
    );
  else if (start) lines.push(`- Activity since ${utcMinute(start)} (first signal); not yet contained`);
  if (f.postmortem.impact) lines.push(`- Impact: ${mdText(f.postmortem.impact)}`);
  const targets = new Map<string, ActionFact['target']>();
  for (const a of f.actions) if (!a.undoOf) targets.set(`${a.target.kind}\u0000${a.target.id}`, a.target);
  if (targets.size)
    lines.push(`- Affected systems: ${[...targets.values()].map((t) => mdText(targetName(t))).join(', ')}`);
  if (f.exfiltrationActive) lines.push('- Active data exfiltration is flagged');
  if (f.personalData) lines.push(`- Personal data involved (aware since ${utcMinute(f.personalData.awareAt)})`);
  if (f.evidence.length)
    lines.push(
      `- Evidence preserved: ${f.evidence.length} artifact${f.evidence.length === 1 ? '' : 's'}, hashed and in the chain of custody`,
    );
  if (lines.length === 2)
    lines.push(
      audience === 'internal'
        ? '- Scope not determined yet: record the impact with `:pm impact TEXT`.'
        : '- Scope not determined yet: the responders are establishing it.',
    );
  return lines;
}

function actionsTaken(f: ReportFacts): string[] {
  const lines = ['', '### Actions Taken'];
  const ok = f.actions.filter(done).sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  const failed = f.actions.filter(
    (a) => a.status === 'failed' || a.status === 'not-applied' || a.status === 'in-doubt',
  );
  ok.forEach((a, i) => lines.push(`${i + 1}. ${utcMinute(a.finishedAt!)} — ${mdText(actionPhrase(a))}: ${outcome(a)}`));
  if (!ok.length) lines.push('- None completed yet.');
  if (failed.length) {
    lines.push('', 'Not completed:');
    for (const a of failed) {
      const when = a.finishedAt ?? a.startedAt ?? a.plannedAt;
      const why = a.failure
        ? `FAILED (${a.failure.stage}): ${a.failure.code ? `${mdText(a.failure.code)}: ` : ''}${mdText(a.failure.message)}`
        : a.status === 'in-doubt'
          ? 'IN DOUBT (interrupted; re-verify)'
          : 'NOT APPLIED (re-verified after an interruption)';
      lines.push(`- ${utcMinute(when)} — ${mdText(actionPhrase(a))}: ${why}`);
    }
  }
  return lines;
}

function nextSteps(f: ReportFacts, audience: 'internal' | 'legal'): string[] {
  const lines = ['', '### Next Steps'];
  const next = f.resolvedAt ? 'review' : nextPhase(f.phase);
  lines.push(`- ${next ? AFTER_PHASE[f.phase] : AFTER_PHASE.review}`);
  for (const it of f.items.filter((i) => i.status === 'open'))
    lines.push(`- ${mdText(it.text)} (owner ${mdText(it.owner)}, due ${it.due})`);
  if (audience === 'legal') {
    for (const c of f.clocks)
      if (!c.decision)
        lines.push(
          `- Decide on ${c.short}: ${c.what} — ${c.dueAt < f.now ? 'OVERDUE since' : 'due'} ${utcMinute(c.dueAt)}`,
        );
    lines.push('- The responders share the full incident timeline with legal for review');
  }
  return lines;
}

/** Every regulatory clock, as counsel reads it: what, when (UTC), on what basis, and what was decided. */
function clockTable(f: ReportFacts): string[] {
  if (!f.clocks.length) return ['- Regulatory clocks: none started (no personal data or regulated incident flagged)'];
  const lines = [
    '',
    '| Clock | What is due | Due (UTC) | Basis | Decision | Rationale |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of f.clocks) {
    const d = c.decision;
    const decision = d
      ? `${d.decision === 'notify' ? 'notify' : 'do not notify'} (${mdText(d.actor)}, ${utcMinute(d.at)})`
      : 'not decided yet';
    const basis = `${mdText(c.basis)}${c.note ? `; ${mdText(c.note)}` : ''}`;
    lines.push(
      `| ${c.short} | ${mdText(c.what)} | ${utcMinute(c.dueAt)}${!d && c.dueAt < f.now ? ' (OVERDUE)' : ''} | ${basis} | ${decision} | ${d ? mdText(d.rationale) : '—'} |`,
    );
  }
  lines.push('', '_Regulatory clocks are an aid, not legal advice: counsel decides whether and whom to notify._');
  return lines;
}

function legal(f: ReportFacts): string[] {
  const lines = ['', '### Personal data, notifications and evidence'];
  if (f.personalData) {
    lines.push(
      `- Personal data involved; organisation aware since ${utcMinute(f.personalData.awareAt)}; regimes: ${f.personalData.regimes.map((r) => r.toUpperCase()).join(', ') || 'none named'}`,
    );
    if (f.personalData.note) lines.push(`- Note: ${mdText(f.personalData.note)}`);
  } else lines.push('- Personal data: not flagged in the journal');
  const transfers = f.evidence.reduce((s, e) => s + e.custody.length, 0);
  lines.push(
    `- Evidence: ${f.evidence.length} artifact${f.evidence.length === 1 ? '' : 's'} with SHA-256 and ${transfers} custody transfer${transfers === 1 ? '' : 's'} recorded; the responders provide the evidence manifest on request`,
  );
  lines.push('', '### Regulatory clocks', ...clockTable(f));
  return lines;
}

/** The update draft for `audience`, as Markdown. */
export function updateMarkdown(f: ReportFacts, audience: Audience): string {
  if (audience === 'customers') return customerUpdateMarkdown(f);
  if (audience === 'leadership') return leadershipUpdateMarkdown(f);
  const lines = [
    ...header(f, audience),
    ...summary(f),
    ...scope(f, audience),
    ...actionsTaken(f),
    ...nextSteps(f, audience),
  ];
  if (audience === 'legal') lines.push(...legal(f));
  return lines.join('\n') + '\n';
}
