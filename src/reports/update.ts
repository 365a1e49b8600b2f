// The incident update (the seed's "Incident communication template": status, severity, time
// detected, time contained, summary, scope, actions taken, next steps), drafted from the journal
// for one audience. Internal gets every detail; leadership the scope, impact, containment and the
// next update; legal adds personal data, the notification clocks and the evidence held; customers
// get what happened, what was affected and what we are doing — with every identifier, indicator
// and internal name generalised (scrub.ts). Always a DRAFT: a person reads it before it is sent.

import { phaseName, nextPhase, type PhaseId } from '../domain/phases.js';
import { severityInfo } from '../domain/severity.js';
import type { ActionFact, Audience, ReportFacts } from './facts.js';
import { duration, mdText, span, utcMinute } from './markdown.js';
import { customerScrubber, kindNoun, type Scrubber } from './scrub.js';

const AUDIENCE_LABEL: Record<Audience, string> = {
  internal: 'the internal incident channel',
  leadership: 'leadership',
  legal: 'legal and compliance',
  customers: 'customers',
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

/** Statutory notification windows the seed names, from when the organisation became aware. */
const REGIME_WINDOW_MS: Record<string, number> = { gdpr: 72 * 3_600_000, hipaa: 60 * 86_400_000 };

export function statusLine(f: ReportFacts): string {
  if (f.resolvedAt) return 'Resolved';
  if (f.containedAt) return 'Contained';
  return `Active — ${phaseName(f.phase)}`;
}

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

function header(f: ReportFacts, audience: Audience, clean: Scrubber | undefined): string[] {
  const sev = f.severity ? severityInfo(f.severity.level) : undefined;
  const lines = [
    clean
      ? `## Security incident update — ${utcMinute(f.now).slice(0, 10)}`
      : `## Incident Update: ${mdText(f.incident.id)}`,
    '',
    `> **DRAFT** for ${AUDIENCE_LABEL[audience]} — written ${utcMinute(f.now)} from the incident journal (${f.records} records). ` +
      'Read and edit it before sending; then record what was sent (`:update-send ' +
      audience +
      '` in the cockpit, or `firebreak update`).',
  ];
  if (clean)
    lines.push(
      '> Identifiers, indicators and internal names were replaced by generic terms automatically: check that none remain.',
    );
  lines.push(
    '',
    `**Status:** ${statusLine(f)}`,
    `**Severity:** ${sev ? (clean ? sev.name : `${sev.name} (${sev.code}) — response ${sev.response.toLowerCase()}`) : 'Not yet assessed'}`,
    `**Time detected:** ${f.detectedAt ? utcMinute(f.detectedAt) : 'not recorded'}`,
    `**Time contained:** ${f.containedAt ? utcMinute(f.containedAt) : 'not yet contained'}`,
  );
  if (f.resolvedAt) lines.push(`**Time resolved:** ${utcMinute(f.resolvedAt)}`);
  if (!clean) {
    const ic = f.roles.find((r) => r.role === 'ic');
    lines.push(`**Incident commander:** ${ic ? mdText(ic.person) : 'not assigned'}`);
  }
  if (audience === 'leadership' && f.cadenceHours && !f.resolvedAt) {
    const next = Date.parse(f.now) + f.cadenceHours * 3_600_000;
    lines.push(`**Next update:** by ${utcMinute(next)} (every ${f.cadenceHours} h)`);
  }
  return lines;
}

function summary(f: ReportFacts, clean: Scrubber | undefined): string[] {
  const text = f.postmortem.summary ?? f.incident.title;
  const lines = ['', '### Summary', clean ? mdText(clean(text)) : mdText(text)];
  if (!clean && f.detections.length) {
    const titles = [...new Set(f.detections.map((d) => d.title.replace(/ — suggests Sev\d$/, '')))];
    lines.push(
      '',
      `Detected through: ${titles.slice(0, 3).map(mdText).join('; ')}${titles.length > 3 ? `; and ${titles.length - 3} more` : ''}.`,
    );
  }
  return lines;
}

function scope(f: ReportFacts, audience: Audience, clean: Scrubber | undefined): string[] {
  const lines = ['', '### Scope'];
  const start = f.firstSignal?.eventTime;
  const end = f.containedAt;
  const window = span(start, end);
  if (start && end && window !== undefined)
    lines.push(
      `- Activity window: ${utcMinute(start)} (first signal) to ${utcMinute(end)} (contained), approximately ${duration(window)}`,
    );
  else if (start) lines.push(`- Activity since ${utcMinute(start)} (first signal); not yet contained`);
  if (f.postmortem.impact) lines.push(`- Impact: ${mdText(clean ? clean(f.postmortem.impact) : f.postmortem.impact)}`);
  const targets = new Map<string, ActionFact['target']>();
  for (const a of f.actions) if (!a.undoOf) targets.set(`${a.target.kind}\u0000${a.target.id}`, a.target);
  if (targets.size) {
    if (clean) {
      const kinds = new Map<string, number>();
      for (const t of targets.values()) kinds.set(kindNoun(t.kind), (kinds.get(kindNoun(t.kind)) ?? 0) + 1);
      lines.push(
        `- Affected systems: ${[...kinds].map(([k, n]) => (n > 1 ? `${n} × ${k.replace(/^an? /, '')}` : k)).join(', ')}`,
      );
    } else {
      lines.push(
        `- Affected systems: ${[...targets.values()].map((t) => `${mdText(t.label)} (${mdText(t.kind)})`).join(', ')}`,
      );
    }
  }
  if (f.exfiltrationActive) lines.push('- Active data exfiltration is flagged');
  if (f.personalData)
    lines.push(
      clean
        ? '- Personal data may be affected; we are determining exactly which'
        : `- Personal data involved (aware since ${utcMinute(f.personalData.awareAt)})`,
    );
  if (audience !== 'customers' && f.evidence.length)
    lines.push(
      `- Evidence preserved: ${f.evidence.length} artifact${f.evidence.length === 1 ? '' : 's'}, hashed and in the chain of custody`,
    );
  if (lines.length === 2)
    lines.push(
      clean
        ? '- We are still determining the scope.'
        : '- Scope not determined yet: record the impact with `:pm impact TEXT`.',
    );
  return lines;
}

function actionsTaken(f: ReportFacts, clean: Scrubber | undefined): string[] {
  const lines = ['', '### Actions Taken'];
  const ok = f.actions.filter(done).sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  const failed = f.actions.filter(
    (a) => a.status === 'failed' || a.status === 'not-applied' || a.status === 'in-doubt',
  );
  if (clean) {
    // Customers: what was done, by kind of system; no times, request ids or failures.
    const seen = new Set<string>();
    for (const a of ok) {
      const line = `${mdText(clean(a.title))} (${kindNoun(a.target.kind)})`;
      if (!seen.has(line)) (seen.add(line), lines.push(`${seen.size}. ${line}`));
    }
    if (!ok.length) lines.push('1. We are investigating and will take containment measures as needed.');
    return lines;
  }
  ok.forEach((a, i) =>
    lines.push(
      `${i + 1}. ${utcMinute(a.finishedAt!)} — ${mdText(a.title)} on ${mdText(a.target.label)}: ${outcome(a)}`,
    ),
  );
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
      lines.push(`- ${utcMinute(when)} — ${mdText(a.title)} on ${mdText(a.target.label)}: ${why}`);
    }
  }
  return lines;
}

function nextSteps(f: ReportFacts, audience: Audience, clean: Scrubber | undefined): string[] {
  const lines = ['', '### Next Steps'];
  const next = f.resolvedAt ? 'review' : nextPhase(f.phase);
  lines.push(`- ${next ? AFTER_PHASE[f.phase] : AFTER_PHASE.review}`);
  if (clean) {
    lines.push('- We will share a further update as the investigation progresses.');
    return lines;
  }
  for (const it of f.items.filter((i) => i.status === 'open'))
    lines.push(`- ${mdText(it.text)} (owner ${mdText(it.owner)}, due ${it.due})`);
  if (audience === 'legal' && f.personalData) {
    for (const r of f.personalData.regimes) {
      if (f.notifications.some((n) => n.regime === r)) continue;
      const w = REGIME_WINDOW_MS[r];
      const by = w === undefined ? '' : ` — the window ends ${utcMinute(Date.parse(f.personalData.awareAt) + w)}`;
      lines.push(`- Decide on ${r.toUpperCase()} notification${by}`);
    }
  }
  if (audience === 'legal')
    lines.push('- Update the incident timeline for legal review (`firebreak export FILE --postmortem`)');
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
  for (const n of f.notifications)
    lines.push(
      `- ${utcMinute(n.at)} — ${n.regime.toUpperCase()}: ${n.decision === 'notify' ? 'notify' : 'do not notify'} — ${mdText(n.rationale)}`,
    );
  const transfers = f.evidence.reduce((s, e) => s + e.custody.length, 0);
  lines.push(
    `- Evidence: ${f.evidence.length} artifact${f.evidence.length === 1 ? '' : 's'} with SHA-256 and ${transfers} custody transfer${transfers === 1 ? '' : 's'} recorded (manifest: \`firebreak export FILE --evidence\`)`,
  );
  return lines;
}

/** The update draft for `audience`, as Markdown. */
export function updateMarkdown(f: ReportFacts, audience: Audience): string {
  let clean: Scrubber | undefined;
  if (audience === 'customers') {
    const seen = [
      f.incident.title,
      f.postmortem.summary ?? '',
      f.postmortem.impact ?? '',
      ...f.actions.map((a) => `${a.target.id} ${a.target.label}`),
      ...f.timeline.map((t) => t.text),
    ];
    clean = customerScrubber(f.internalNames, seen);
  }
  const lines = [
    ...header(f, audience, clean),
    ...summary(f, clean),
    ...scope(f, audience, clean),
    ...actionsTaken(f, clean),
    ...nextSteps(f, audience, clean),
  ];
  if (audience === 'legal') lines.push(...legal(f));
  return lines.join('\n') + '\n';
}
