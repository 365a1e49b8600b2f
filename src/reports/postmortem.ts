// The blameless post-mortem, drafted from the journal in the seeds' structure: summary and impact,
// the timeline from first signal to all-clear (UTC), detection analysis, response evaluation,
// root cause with five whys, what went well and what did not, lessons, action items (owner and due
// date each) and when to hold the review. The journal supplies the facts; people supply the
// judgement through `:pm` — and a section with nothing in it yet says what belongs there and which
// command records it, so a gap is visible instead of silently missing.

import { containmentNotHeld } from './update-status.js';
import { phaseName } from '../domain/phases.js';
import { roleName, isRoleId } from '../domain/roles.js';
import { severityInfo } from '../domain/severity.js';
import { actionPhrase, shortTitle, targetName } from './action-phrase.js';
import type { ActionFact, ReportFacts, TimelineFact } from './facts.js';
import { duration, mdText, span, toFill, utcDay, utcMinute, utcSecond } from './markdown.js';

const DAY = 86_400_000;

// Timeline kinds that are part of the incident's story. Plans, dry runs, post-mortem edits and
// action items are the review's own bookkeeping.
const STORY = new Set([
  'opened',
  'updated',
  'severity',
  'phase',
  'role',
  'note',
  'pin',
  'detection',
  'armed',
  'inject',
  'action',
  'evidence',
  'custody',
  'exfiltration',
  'update',
  'regulatory',
]);

/** "2026-04-20T15:15:00Z" in a journal text, as the rest of the row writes times: "15:15 UTC" on the row's day. */
function humanTimes(text: string, rowAt: string): string {
  return text.replace(/\b(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?Z\b/g, (m, day: string, hm: string) =>
    day === utcDay(rowAt) ? `${hm} UTC` : utcMinute(m),
  );
}

/** A journal row's text for the post-mortem: human times, regimes as the law names them. */
function rowText(t: TimelineFact): string {
  let text = humanTimes(t.text, t.ts);
  if (t.kind === 'regulatory')
    text = text.replace(/\bclocks: ([a-z0-9, ]+)/, (_, r: string) => `clocks: ${r.toUpperCase()}`);
  return text;
}

/** What became of an action, in one clause. */
function outcomeText(a: ActionFact): string {
  if (a.failure)
    return `FAILED (${a.failure.stage}): ${a.failure.code ? `${mdText(a.failure.code)}: ` : ''}${mdText(a.failure.message)}`;
  if (a.status === 'in-doubt') return 'interrupted, outcome unknown (re-verify)';
  if (a.status === 'not-applied') return 'not applied (re-verified after an interruption)';
  if (a.status === 'partial') return 'partly applied';
  const v = a.verification;
  if (!v) return 'succeeded, not yet verified';
  return v.ok
    ? `succeeded, verified (${mdText(v.detail)})`
    : `succeeded, but the read-back FAILED (${mdText(v.detail)})`;
}

/**
 * The journal's action rows name the action by its id ("aws.denyAllRole on ci-deployer — done"),
 * which is the cockpit's business; the post-mortem writes one row per action from its facts: the
 * override when it was confirmed, the outcome when it finished.
 */
function actionRows(f: ReportFacts): Row[] {
  const rows: Row[] = [];
  for (const a of f.actions) {
    const what = mdText(actionPhrase(a));
    if (a.override && a.confirmedAt)
      rows.push({
        at: a.confirmedAt,
        what: `action: ${what} confirmed with the evidence guardrail overridden (${a.override.basis}${a.override.commander ? `, ${mdText(a.override.commander)}` : ''}): ${mdText(a.override.reason)}`,
        who: mdText(a.actor),
      });
    const at = a.finishedAt ?? (a.status === 'in-doubt' || a.status === 'not-applied' ? a.startedAt : undefined);
    if (at) rows.push({ at, what: `action: ${what} — ${outcomeText(a)}`, who: mdText(a.actor) });
  }
  return rows;
}

const SIGNAL_KINDS = new Set(['detection', 'pin']);

/** The detection or pin raised first. */
function firstNoticed(f: ReportFacts): TimelineFact | undefined {
  return f.timeline.filter((t) => SIGNAL_KINDS.has(t.kind)).sort((a, b) => a.ts.localeCompare(b.ts))[0];
}

/** When the first signal of any kind reached us: nobody can have detected anything before then. */
function firstArrival(f: ReportFacts): string | undefined {
  return f.timeline
    .filter((t) => SIGNAL_KINDS.has(t.kind))
    .map((t) => t.discoveredAt ?? t.ts)
    .sort()[0];
}

/** A detection's text without the severity it suggested: the sentence goes on after it. */
const signalText = (text: string): string => text.replace(/ — suggests Sev\d$/, '');

function header(f: ReportFacts): string[] {
  const sev = f.severity ? severityInfo(f.severity.level) : undefined;
  const ic = f.roles.find((r) => r.role === 'ic');
  return [
    `# Post-mortem: ${mdText(f.incident.id)} — ${mdText(f.incident.title)}`,
    '',
    `> DRAFT written ${utcMinute(f.now)} from the incident journal (${f.records} records). All times UTC. Blameless: it asks what made the failure possible, not who.`,
    '',
    `**Severity:** ${sev ? `${sev.code} ${sev.name}` : 'not assessed'}  `,
    `**Codename:** ${f.incident.codename ? mdText(f.incident.codename) : '—'}  `,
    `**Incident commander:** ${ic ? mdText(ic.person) : 'not assigned'}  `,
    `**Roles:** ${f.roles.length ? f.roles.map((r) => `${isRoleId(r.role) ? roleName(r.role) : mdText(r.role)}: ${mdText(r.person)}`).join('; ') : 'none assigned'}  `,
    `**Detected:** ${f.detectedAt ? utcMinute(f.detectedAt) : 'not recorded'} · **Contained:** ${f.containedAt ? utcMinute(f.containedAt) : f.containmentFailed ? 'not reached (see 4)' : 'not recorded'} · **Resolved:** ${f.resolvedAt ? utcMinute(f.resolvedAt) : 'not recorded'}  `,
    `**Phase:** ${phaseName(f.phase)}${f.incident.mode === 'drill' ? ' · tabletop drill' : ''}`,
  ];
}

function summaryAndImpact(f: ReportFacts): string[] {
  return [
    '',
    '## 1. Summary and impact',
    '',
    '### Summary',
    f.postmortem.summary
      ? mdText(f.postmortem.summary)
      : toFill('one paragraph — what happened, the blast radius, the customer impact', ':pm summary TEXT'),
    '',
    '### Impact',
    f.postmortem.impact
      ? mdText(f.postmortem.impact)
      : toFill('who and what was affected, for how long, which data', ':pm impact TEXT'),
  ];
}

interface Row {
  at: string;
  what: string;
  who: string;
  /** At the same second: the first signal and detection open it, containment and the all-clear close it. */
  tie?: number;
}

function timeline(f: ReportFacts): string[] {
  const end = f.resolvedAt;
  const rows: Row[] = [];
  if (f.firstSignal)
    rows.push({
      at: f.firstSignal.eventTime,
      what: `**First signal** (event time): ${mdText(signalText(f.firstSignal.what))}`,
      who: '',
      tie: -1,
    });
  const mark = (at: string | undefined, label: string, tie: number) =>
    at && rows.push({ at, what: `**${label}**`, who: '', tie });
  mark(f.detectedAt, 'Detected', -1);
  mark(f.containedAt, 'Contained', 1);
  mark(f.resolvedAt, 'Resolved — all clear', 1);
  const late = (at: string) => end !== undefined && Date.parse(at) > Date.parse(end);
  for (const t of f.timeline) {
    if (!STORY.has(t.kind) || t.kind === 'action' || late(t.ts)) continue;
    // An incident.updated row only restates the times marked above.
    if (t.kind === 'updated' && /^Incident updated: (detected|contained|resolved) at/.test(t.text)) continue;
    rows.push({ at: t.ts, what: `${t.kind}: ${mdText(rowText(t))}${eventNote(t)}`, who: mdText(t.actor) });
  }
  rows.push(...actionRows(f).filter((r) => !late(r.at)));
  rows.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.tie ?? 0) - (b.tie ?? 0));
  const lines = [
    '',
    '## 2. Timeline',
    '',
    `From the first signal to the all-clear${end ? '' : ' (not resolved yet: the timeline runs to the last record)'}. Times UTC.`,
    '',
  ];
  if (!rows.length) return [...lines, toFill('the incident timeline — detections, notes and actions', ':note TEXT')];
  lines.push('| Time (UTC) | What | Who |', '|---|---|---|');
  for (const r of rows) lines.push(`| ${utcSecond(r.at)} | ${r.what} | ${r.who} |`);
  return lines;
}

function eventNote(t: TimelineFact): string {
  // An inject's "event" is the moment it was read out: the row's own time says it already.
  if (!t.eventTime || (t.kind === 'inject' && Math.abs(Date.parse(t.eventTime) - Date.parse(t.ts)) < 60_000)) return '';
  const delay = span(t.eventTime, t.discoveredAt);
  return ` (event ${utcSecond(t.eventTime)}${delay !== undefined && delay > 0 ? `, delivered ${duration(delay)} later` : ''})`;
}

function detection(f: ReportFacts): string[] {
  const lines = ['', '## 3. Detection analysis', ''];
  const s = f.firstSignal;
  const noticed = firstNoticed(f);
  if (s) {
    lines.push(`- First signal: ${mdText(signalText(s.what))} — the event happened ${utcMinute(s.eventTime)}.`);
    const delay = span(s.eventTime, s.discoveredAt);
    if (s.discoveredAt && delay !== undefined)
      lines.push(`- It reached us ${utcMinute(s.discoveredAt)} (${duration(delay)} delivery delay).`);
    // The earliest event is not always the first one seen: a later event delivered sooner (GuardDuty
    // in seconds, CloudTrail in minutes) may be what raised the alarm. Say which.
    const other = noticed && signalText(noticed.text) !== signalText(s.what) ? noticed : undefined;
    lines.push(
      `- First noticed ${utcMinute(s.noticedAt)}, ${duration(span(s.eventTime, s.noticedAt) ?? 0)} after the first signal's event${other ? `, through a later event that reached us sooner: ${mdText(signalText(other.text))}` : ''}.`,
    );
  } else {
    lines.push(
      `- First signal: none in the journal (no detection or pinned event). ${toFill('the event that first showed the incident', ':pin COMMENT on it in the events pane')}`,
    );
  }
  if (f.detectedAt) {
    // Nobody can have detected the incident before its first signal reached anyone: a recorded time
    // earlier than that is a typo or the wrong day, and a time to detect counted from it is false.
    const arrived = firstArrival(f);
    const early = arrived !== undefined && Date.parse(f.detectedAt) < Date.parse(arrived);
    if (early)
      lines.push(
        `- Declared detected: ${utcMinute(f.detectedAt)} — **before any signal reached us (the first at ${utcMinute(arrived)})**: check the recorded time (\`:detected HH:MM\`); no time to detect is counted from it.`,
      );
    else {
      lines.push(
        `- Declared detected: ${utcMinute(f.detectedAt)}${f.detectedBasis === 'first detection' ? ' (the first detection)' : ''}.`,
      );
      const ttd = span(s?.eventTime, f.detectedAt);
      if (ttd !== undefined)
        lines.push(`- **Time to detect: ${duration(ttd)}** (first signal's event time → detected).`);
    }
  } else lines.push(`- Declared detected: ${toFill('when the incident was detected', ':detected HH:MM')}`);
  if (f.detections.length) {
    const byRule = new Map<string, { title: string; n: number; first: string }>();
    // By rule and title: one rule may report two different things (a token read, then replayed).
    for (const d of f.detections) {
      const key = `${d.ruleId}\u0000${signalText(d.title)}`;
      const r = byRule.get(key);
      if (r) r.n++;
      else byRule.set(key, { title: d.title, n: 1, first: d.at });
    }
    lines.push(`- Detections raised: ${f.detections.length}`);
    for (const [, r] of byRule)
      lines.push(`  - ${utcMinute(r.first)} ${mdText(signalText(r.title))}${r.n > 1 ? ` (×${r.n})` : ''}`);
  } else
    lines.push(
      '- Detections raised: none — the incident was found by people, not by a rule. Which rule would have caught it?',
    );
  lines.push(
    '- Could it have been found sooner? Answer in the review, and record it as a lesson (`:pm lessons TEXT`).',
  );
  return lines;
}

/** The evidence captured on the action's target before it started, if any. */
function evidenceBefore(f: ReportFacts, a: ActionFact): string | undefined {
  const at = a.startedAt ?? a.plannedAt;
  const times = [
    ...f.evidence.filter((e) => e.target?.id === a.target.id).map((e) => e.recordedAt),
    ...f.actions
      .filter(
        (x) =>
          x.evidence &&
          x.target.id === a.target.id &&
          x.finishedAt &&
          (x.status === 'succeeded' || x.status === 'verified'),
      )
      .map((x) => x.finishedAt!),
  ].filter((t) => Date.parse(t) <= Date.parse(at));
  return times.sort()[0];
}

function response(f: ReportFacts): string[] {
  const lines = ['', '## 4. Response evaluation', ''];
  const ttc = span(f.detectedAt, f.containedAt);
  lines.push(
    ttc !== undefined
      ? `- **Time to contain: ${duration(ttc)}** (detected → contained).`
      : f.containmentFailed
        ? `- **Time to contain: not reached.** ${capitalise(containmentNotHeld(f)!)}.`
        : `- Time to contain: ${toFill('the detected and contained times', ':detected HH:MM / :contained HH:MM')}`,
  );
  const firstStart = f.actions
    .map((a) => a.startedAt)
    .filter((t): t is string => !!t)
    .sort()[0];
  if (f.severity && f.detectedAt && firstStart) {
    const sev = severityInfo(f.severity.level);
    const took = span(f.detectedAt, firstStart)!;
    const met = sev.slaMinutes === null ? undefined : took <= sev.slaMinutes * 60_000;
    lines.push(
      `- First action started ${utcMinute(firstStart)}, ${duration(took)} after detection (${sev.code} target: ${sev.response.toLowerCase()}${met === undefined ? '' : met ? ' — met' : ' — MISSED'}).`,
    );
  }
  const ran = f.actions.filter((a) => a.startedAt);
  lines.push('', '### Actions, in the order they ran', '');
  if (!ran.length)
    lines.push('_No action was run from firebreak. Containment done elsewhere belongs in the timeline: `:note TEXT`._');
  else {
    lines.push(
      '| Started (UTC) | Action | Target | Outcome | Verification | Evidence on the target before it? |',
      '|---|---|---|---|---|---|',
    );
    for (const a of ran.sort((x, y) => x.startedAt!.localeCompare(y.startedAt!))) {
      const ev = a.evidence
        ? 'captures evidence'
        : evidenceBefore(f, a)
          ? `yes (${utcSecond(evidenceBefore(f, a)!)})`
          : a.destructive
            ? '**NO**'
            : 'no (not destructive)';
      const out = a.failure
        ? `FAILED (${a.failure.stage})${a.failure.code ? ` ${mdText(a.failure.code)}` : ''}: ${mdText(a.failure.message)}`
        : a.status;
      const ver = a.verification ? `${a.verification.ok ? 'ok' : 'FAILED'}: ${mdText(a.verification.detail)}` : '—';
      lines.push(
        `| ${utcSecond(a.startedAt!)} | ${mdText(shortTitle(a.title))}${a.undoOf ? ' (undo)' : ''} | ${mdText(targetName(a.target))} | ${out} | ${ver} | ${ev} |`,
      );
    }
  }
  lines.push('', '### Evidence before destruction', '');
  const early = ran.filter((a) => a.destructive && !evidenceBefore(f, a));
  if (!ran.some((a) => a.destructive)) lines.push('No destructive action ran.');
  else if (!early.length) lines.push('Every destructive action ran after evidence on its target had been captured.');
  for (const a of early) {
    const why = a.override
      ? ` Guardrail overridden (${a.override.basis}${a.override.commander ? `, ${mdText(a.override.commander)}` : ''}): ${mdText(a.override.reason)}.`
      : '';
    lines.push(
      `- **${mdText(actionPhrase(a))} ran ${utcSecond(a.startedAt!)} before any evidence on that target was captured.**${why}`,
    );
  }
  lines.push('', '### Guardrail overrides', '');
  const overrides = f.actions.filter((a) => a.override);
  if (!overrides.length) lines.push('None.');
  for (const a of overrides)
    lines.push(
      `- ${mdText(actionPhrase(a))} — ${a.override!.basis}${a.override!.commander ? ` (${mdText(a.override!.commander)})` : ''}: ${mdText(a.override!.reason)}`,
    );
  const badVerify = f.actions.filter(
    (a) => a.status === 'verify-failed' || a.status === 'not-applied' || a.status === 'in-doubt',
  );
  if (badVerify.length) {
    lines.push('', '### Not confirmed in place', '');
    for (const a of badVerify)
      lines.push(
        `- ${mdText(actionPhrase(a))}: ${a.status}${a.verification ? ` — ${mdText(a.verification.detail)}` : ''}`,
      );
  }
  return lines;
}

function rootCause(f: ReportFacts): string[] {
  const lines = ['', '## 5. Root cause', ''];
  lines.push(
    f.postmortem.rootCause
      ? mdText(f.postmortem.rootCause)
      : toFill(
          'the vulnerability or misconfiguration that made it possible — a chain of factors, not a person',
          ':pm root-cause TEXT',
        ),
  );
  lines.push('', '### Five whys', '');
  f.postmortem.whys.forEach((w, i) => lines.push(`${i + 1}. Why? ${mdText(w)}`));
  if (!f.postmortem.whys.length) lines.push(toFill('the five whys, one at a time, in order', ':pm why TEXT'));
  else if (f.postmortem.whys.length < 5)
    lines.push('', `_${f.postmortem.whys.length} of 5 whys recorded; add the next with \`:pm why TEXT\`._`);
  return lines;
}

function list(title: string, items: readonly string[], what: string, how: string): string[] {
  return ['', title, '', ...(items.length ? items.map((t) => `- ${mdText(t)}`) : [toFill(what, how)])];
}

function actionItems(f: ReportFacts): string[] {
  const lines = ['', '## 8. Action items', '', 'Specific, assigned, time-bound — and tracked to completion.', ''];
  if (!f.items.length)
    return [...lines, toFill('improvements, each with an owner and a due date', ':item OWNER YYYY-MM-DD TEXT')];
  lines.push('| ID | Action | Owner | Due | Status |', '|---|---|---|---|---|');
  const today = utcDay(f.now);
  for (const it of f.items) {
    const late = it.status === 'open' && it.due < today ? ' (OVERDUE)' : '';
    lines.push(
      `| ${mdText(it.itemId)} | ${mdText(it.text)} | ${mdText(it.owner)} | ${it.due} | ${it.status}${late}${it.note ? ` — ${mdText(it.note)}` : ''} |`,
    );
  }
  return lines;
}

function reviewWhen(f: ReportFacts): string[] {
  const lines = ['', '## 9. The review meeting', ''];
  if (!f.resolvedAt)
    return [
      ...lines,
      `Hold the review 3–5 days after resolution. Resolution is not recorded yet: \`:resolved [HH:MM]\` records it.`,
    ];
  const r = Date.parse(f.resolvedAt);
  return [
    ...lines,
    `Hold the review 3–5 days after resolution: between ${utcDay(r + 3 * DAY)} and ${utcDay(r + 5 * DAY)} (resolved ${utcMinute(r)}).`,
  ];
}

function appendix(f: ReportFacts): string[] {
  const lines = ['', '## Appendix: evidence and communications', ''];
  if (f.evidence.length) {
    lines.push('| Evidence | Description | SHA-256 | Custody |', '|---|---|---|---|');
    for (const e of f.evidence)
      lines.push(
        `| ${mdText(e.evidenceId)} | ${mdText(e.description)} | \`${e.sha256.slice(0, 16)}…\` | ${e.custody.length ? e.custody.map((c) => `${mdText(c.to)}, ${utcMinute(c.at)}`).join(' → ') : `${mdText(e.collector)} (collector)`} |`,
      );
    lines.push('', 'Full manifest with hashes and custody: `firebreak export FILE --evidence`.');
  } else lines.push('No evidence recorded in the journal.');
  lines.push('');
  if (f.updates.length)
    for (const u of f.updates)
      lines.push(`- ${utcMinute(u.at)} update recorded for ${u.audience} (${mdText(u.actor)})`);
  else lines.push('No incident update recorded (`:update AUDIENCE` drafts one).');
  for (const n of f.notifications)
    lines.push(`- ${utcMinute(n.at)} ${n.regime.toUpperCase()}: ${n.decision} — ${mdText(n.rationale)}`);
  return lines;
}

export function postmortemMarkdown(f: ReportFacts): string {
  return (
    [
      ...header(f),
      ...summaryAndImpact(f),
      ...timeline(f),
      ...detection(f),
      ...response(f),
      ...rootCause(f),
      ...list(
        '## 6. What went well',
        f.postmortem.wentWell,
        'what went well — detection time, comms, decisions made under pressure',
        ':pm went-well TEXT',
      ),
      ...list(
        '## 7. What did not go well',
        f.postmortem.wentBadly,
        'what did not — gaps in detection, runbook errors, slow rollback, missing logs',
        ':pm went-badly TEXT',
      ),
      ...list('### Lessons', f.postmortem.lessons, 'what we learned', ':pm lessons TEXT'),
      ...actionItems(f),
      ...reviewWhen(f),
      ...appendix(f),
    ].join('\n') + '\n'
  );
}

function capitalise(t: string): string {
  return t.charAt(0).toUpperCase() + t.slice(1);
}
