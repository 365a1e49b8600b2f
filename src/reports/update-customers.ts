// The customer update, written from sentences a person wrote for customers. Nothing the
// responders typed and no name from the journal goes in: each sentence is chosen by what the
// journal says happened (the kind of system an action changed, whether the activity was
// contained, whether personal data or exfiltration is flagged), so the text reads as a person
// would write it and cannot leak a role, a pod, a path or an indicator. What customers need to
// know beyond that (the impact in their terms) the sender adds by hand: the draft says so.

import type { ActionFact, ReportFacts } from './facts.js';
import { utcMinute } from './markdown.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "20 April 2026 at 14:30 UTC". */
export function proseTime(t: string): string {
  const d = new Date(t);
  const hm = d.toISOString().slice(11, 16);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${hm} UTC`;
}

/** Containment that a customer may hear of; undoing one (lifting a deny, restoring a role) is internal. */
export function isUndo(a: ActionFact): boolean {
  return a.undoOf !== undefined || /(^|\.)(restore|reactivate|un[a-z]+)/i.test(a.action);
}

/** One sentence per kind of thing changed, in the order a reader follows: [one, several]. */
const CONTAINED_BY_KIND: [kinds: readonly string[], one: string, several: string][] = [
  [['access-key'], 'We disabled the credential that was misused.', 'We disabled the credentials that were misused.'],
  [
    ['iam-role', 'role', 'iam-user', 'identity'],
    'We cut off the internal account the attacker was using.',
    'We cut off the internal accounts the attacker was using.',
  ],
  [
    ['instance'],
    'We isolated the affected server from the network.',
    'We isolated the affected servers from the network.',
  ],
  // A cordon stops new work landing on a node; it does not cut the node off the network.
  [
    ['node'],
    'We stopped the affected server from taking on new work.',
    'We stopped the affected servers from taking on new work.',
  ],
  [
    ['pod', 'namespace'],
    'We isolated the affected part of our application.',
    'We isolated the affected parts of our application.',
  ],
  [['bucket'], 'We locked down the affected storage.', 'We locked down the affected storage.'],
];
const CONTAINED_OTHER = 'We took further steps to stop the unauthorised activity.';
const EVIDENCE = 'We preserved logs and other records for the investigation.';

function done(a: ActionFact): boolean {
  return a.status === 'succeeded' || a.status === 'verified';
}

export function customerActions(f: ReportFacts): string[] {
  // Containment later lifted is not something we can tell customers we did.
  const undone = new Set(f.actions.filter((a) => done(a) && a.undoOf).map((a) => a.undoOf));
  const ok = f.actions
    .filter((a) => done(a) && !isUndo(a) && !undone.has(a.actionId))
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  // Each sentence once, in the order its first action finished, counting the distinct systems.
  const rows = new Map<string, Set<string>>();
  for (const a of ok) {
    if (a.evidence) continue;
    const i = CONTAINED_BY_KIND.findIndex(([kinds]) => kinds.includes(a.target.kind));
    const key = i < 0 ? 'other' : String(i);
    rows.set(key, (rows.get(key) ?? new Set()).add(`${a.target.kind}\u0000${a.target.id}`));
  }
  const out = [...rows].map(([key, targets]) => {
    if (key === 'other') return CONTAINED_OTHER;
    const row = CONTAINED_BY_KIND[Number(key)]!;
    return targets.size === 1 ? row[1] : row[2];
  });
  if (ok.some((a) => a.evidence)) out.push(EVIDENCE);
  return out;
}

/** What the status line tells a customer: never "Resolved" or "Contained" while data is still leaving. */
export function customerStatus(f: ReportFacts): string {
  if (f.exfiltrationActive) return 'Investigating — we are working to stop the activity';
  if (f.resolvedAt) return 'Resolved';
  if (f.containedAt) return 'Contained — our investigation continues';
  return 'Investigating';
}

function whatHappened(f: ReportFacts): string[] {
  const when = f.firstSignal?.eventTime ?? f.detectedAt;
  const credential = f.actions.some((a) => ['access-key', 'iam-user', 'iam-role', 'role'].includes(a.target.kind));
  const lines = [
    when
      ? `On ${proseTime(when)}, unauthorised activity began in part of our cloud environment.`
      : 'We are investigating unauthorised activity in part of our cloud environment.',
  ];
  if (f.detectedAt) lines.push(`We detected it on ${proseTime(f.detectedAt)} and began our response.`);
  if (credential) lines.push('The activity used a credential belonging to one of our own systems.');
  if (f.exfiltrationActive)
    lines.push('We have seen signs that data is being copied out of our environment, and we are working to stop it.');
  if (f.personalData)
    lines.push(
      'Some of the data involved may include personal information. We are determining exactly what information was involved, and we will contact anyone affected directly.',
    );
  return [lines.join(' ')];
}

function whatNext(f: ReportFacts): string[] {
  const lines: string[] = [];
  if (f.exfiltrationActive || !f.containedAt) lines.push('- We are working to stop the unauthorised activity.');
  else if (!f.resolvedAt)
    lines.push('- We are investigating how the access happened and making sure it cannot happen again.');
  else lines.push('- We are reviewing the incident to strengthen our defences.');
  // The due time every audience names (the cockpit header's cadence reading). One already past
  // cannot be promised, so the customer is given the cadence instead of a time.
  if (f.nextUpdate && !f.nextUpdate.overdue)
    lines.push(`- We will send our next update by ${proseTime(f.nextUpdate.dueAt)}.`);
  else if (!f.resolvedAt || f.exfiltrationActive)
    lines.push(`- We will send our next update within ${f.cadenceHours} hours.`);
  else lines.push('- If we learn anything that affects you, we will tell you.');
  return lines;
}

/** The customer update draft, as Markdown. */
export function customerUpdateMarkdown(f: ReportFacts): string {
  const acts = customerActions(f);
  const lines = [
    `## Security incident update — ${proseTime(f.now).replace(/ at .*/, '')}`,
    '',
    `> **DRAFT** for customers — written ${utcMinute(f.now)} from the incident journal (${f.records} records). ` +
      'Every sentence comes from a template written for customers and names no internal system. Add what your customers need to know about the impact, in your own words, then record what was sent (`:update-send customers` in the cockpit, or `firebreak update`).',
    '',
    `**Status:** ${customerStatus(f)}`,
    `**Time detected:** ${f.detectedAt ? utcMinute(f.detectedAt) : 'still being established'}`,
    `**Time contained:** ${f.containedAt && !f.exfiltrationActive ? utcMinute(f.containedAt) : 'not yet contained'}`,
  ];
  if (f.resolvedAt && !f.exfiltrationActive) lines.push(`**Time resolved:** ${utcMinute(f.resolvedAt)}`);
  lines.push('', '### What happened', ...whatHappened(f), '', '### What we have done');
  if (acts.length) acts.forEach((a) => lines.push(`- ${a}`));
  else lines.push('- We are investigating and will take steps to stop the activity as needed.');
  lines.push('', '### What happens next', ...whatNext(f));
  return lines.join('\n') + '\n';
}
