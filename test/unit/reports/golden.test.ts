// Golden Markdown: the update (every audience), the post-mortem and the evidence manifest written
// from the INC-2026-042 story journal are compared byte for byte with checked-in files under
// test/fixtures/reports/. A section that disappears, a time that is no longer UTC or a changed
// order fails here. After a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/unit/reports
// and review the diff of the golden files.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, manifestMarkdown } from '../../../src/reports/evidence.js';
import { AUDIENCES, type ReportFacts } from '../../../src/reports/facts.js';
import { postmortemMarkdown } from '../../../src/reports/postmortem.js';
import { updateMarkdown } from '../../../src/reports/update.js';
import { reportFacts } from '../../../store/report-facts.js';
import { emptyState } from '../../../store/state.js';
import { buildStory, REPORT_NOW, STORY_CATALOG, type Story } from './story.js';

const GOLDEN = resolve(__dirname, '../../fixtures/reports');

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  expect(actual, `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept a deliberate change)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

let story: Story;
let facts: ReportFacts;
const dir = mkdtempSync(join(tmpdir(), 'fb-golden-'));

beforeAll(async () => {
  story = await buildStory(dir);
  facts = reportFacts(story.store.getState().state, { now: REPORT_NOW, catalog: STORY_CATALOG });
});
afterAll(async () => {
  await story.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('golden reports for INC-2026-042', () => {
  for (const audience of AUDIENCES) {
    it(`the ${audience} update`, () => golden(`update-${audience}.md`, updateMarkdown(facts, audience)));
  }
  it('the post-mortem', () => golden('postmortem.md', postmortemMarkdown(facts)));
  it('the evidence manifest', () => {
    const m = buildManifest(facts, {
      file: 'incident.jsonl',
      ok: true,
      message: 'incident.jsonl: OK',
      records: facts.records,
      head: 'f'.repeat(64),
    });
    golden('evidence-manifest.md', manifestMarkdown(m));
  });
});

// Independent of the golden files (which an UPDATE_GOLDEN run rewrites): the structure itself.
describe('report structure', () => {
  it('the internal and legal updates follow the seed template, in order', () => {
    for (const audience of ['internal', 'legal'] as const) {
      const md = updateMarkdown(facts, audience);
      const order = [
        '**DRAFT**',
        '**Status:**',
        '**Severity:**',
        '**Time detected:**',
        '**Time contained:**',
        '### Summary',
        '### Scope',
        '### Actions Taken',
        '### Next Steps',
      ];
      const at = order.map((h) => md.indexOf(h));
      expect(
        at.every((i) => i >= 0),
        `${audience}: ${order.filter((_, i) => at[i]! < 0).join(', ')} missing`,
      ).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(md).toContain('**Time detected:** 2026-04-20 14:38 UTC');
      expect(md).toContain('**Time contained:** 2026-04-20 15:08 UTC');
    }
  });

  it('internal lists succeeded actions with times and the failed one as failed', () => {
    const md = updateMarkdown(facts, 'internal');
    expect(md).toContain(
      '1. 2026-04-20 14:49 UTC — Preserve CloudTrail for the window of role ci-deployer: succeeded, verified',
    );
    expect(md).toMatch(
      /- 2026-04-20 15:00 UTC — Snapshot every EBS volume for instance i-0abc.*: FAILED \(execute\): UnauthorizedOperation/,
    );
    expect(md).toContain('**Severity:** High (Sev1) — response within 1 hour');
    expect(md).toContain('Move CI to workload identity and delete static keys (owner bob, due 2026-05-01)');
    expect(md).not.toContain('Mask environment output'); // done items are not next steps
  });

  it('legal carries every clock with its due time, basis and decision', () => {
    const md = updateMarkdown(facts, 'legal');
    expect(md).toContain('- Decide on GDPR: notify the supervisory authority — OVERDUE since 2026-04-23 15:15 UTC');
    expect(md).toContain(
      '| GDPR | notify the supervisory authority | 2026-04-23 15:15 UTC (OVERDUE) | GDPR Art. 33(1): 72 h after awareness | not decided yet | — |',
    );
  });

  it('leadership and customers get their own, shorter texts', () => {
    const lead = updateMarkdown(facts, 'leadership');
    for (const h of ['**Status:**', '### Impact', '### Status', '### Next decision']) expect(lead).toContain(h);
    expect(lead).not.toMatch(/[0-9a-f]{64}|evidence\/|### Actions Taken/);
    const cust = updateMarkdown(facts, 'customers');
    for (const h of [
      '**Status:**',
      '**Time detected:** 2026-04-20 14:38 UTC',
      '### What happened',
      '### What we have done',
    ])
      expect(cust).toContain(h);
  });

  it('the post-mortem has every section, the whys in order, and the review dates', () => {
    const md = postmortemMarkdown(facts);
    const sections = [
      '## 1. Summary and impact',
      '## 2. Timeline',
      '## 3. Detection analysis',
      '## 4. Response evaluation',
      '### Evidence before destruction',
      '### Guardrail overrides',
      '## 5. Root cause',
      '### Five whys',
      '## 6. What went well',
      '## 7. What did not go well',
      '### Lessons',
      '## 8. Action items',
      '## 9. The review meeting',
    ];
    const at = sections.map((h) => md.indexOf(h));
    expect(
      at.every((i) => i >= 0),
      sections.filter((_, i) => at[i]! < 0).join(', '),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toMatch(
      /1\. Why\? The attacker had a valid key[\s\S]*2\. Why\? The key was printed[\s\S]*3\. Why\? The build step echoed/,
    );
    expect(md).toContain('between 2026-04-23 and 2026-04-25');
    // The signal reached us 14:37 and was noticed 14:38: detected then, not before.
    expect(md).toContain('**Time to detect: 8 min**');
    expect(md).toContain('**Time to contain: 30 min**');
    // The isolation ran before any evidence on the instance, under an override: both said.
    expect(md).toMatch(
      /\*\*Isolate instance i-0abc123def4567890 \(build-runner-7\) ran 2026-04-20 14:57:00 before any evidence on that target was captured\.\*\* Guardrail overridden \(commander, alice\): the runner is pushing/,
    );
    // The deny-all ran after the CloudTrail capture on the same role.
    expect(md).toMatch(
      /\| Deny-all inline policy on the role \| role ci-deployer \| verified \| ok: read back: in place \| yes \(2026-04-20 14:49:30\) \|/,
    );
    expect(md).toContain(
      '| AI-2 | Grant ec2:CreateSnapshots to the responder role | dave | 2026-04-22 | open (OVERDUE) |',
    );
    // The timeline runs from the first signal (event time, before the journal began) to the all-clear.
    const rows = md
      .slice(md.indexOf('## 2. Timeline'), md.indexOf('## 3.'))
      .split('\n')
      .filter((l) => /^\| 2026-/.test(l));
    expect(rows[0]).toContain('**First signal** (event time)');
    expect(rows[0]).toMatch(/^\| 2026-04-20 14:30:01 /);
    expect(rows.at(-1)).toContain('Resolved — all clear');
    expect(rows.map((r) => r.slice(2, 21))).toEqual(rows.map((r) => r.slice(2, 21)).sort());
  });

  it('a detected time before the first signal reached us is flagged, not counted', () => {
    const st = story.store.getState().state;
    const typo = { seq: st.seq, ts: st.lastTs!, actor: 'alice', value: '2026-04-20T14:32:00Z' };
    const f = reportFacts({ ...st, detectedAt: [...st.detectedAt, typo] }, { now: REPORT_NOW, catalog: STORY_CATALOG });
    const md = postmortemMarkdown(f);
    expect(md).toContain('- It reached us 2026-04-20 14:37 UTC');
    expect(md).toContain(
      '- Declared detected: 2026-04-20 14:32 UTC — **before any signal reached us (the first at 2026-04-20 14:37 UTC)**',
    );
    expect(md).not.toContain('Time to detect:');
  });

  it('the post-mortem timeline names actions as people do, with human times', () => {
    const md = postmortemMarkdown(facts);
    const tl = md.slice(md.indexOf('## 2. Timeline'), md.indexOf('## 3.'));
    expect(tl).toContain(
      '| action: Deny-all inline policy on role ci-deployer — succeeded, verified (read back: in place) | alice |',
    );
    expect(tl).toContain('Personal data involved (aware 15:15 UTC); clocks: GDPR');
    expect(tl).not.toMatch(/aws\.\w+|\d{4}-\d\d-\d\dT/);
  });

  it('empty sections say what to fill in and with which command', () => {
    const s = emptyState();
    s.incident = { id: 'INC-2026-043', title: 'Empty', codename: 'X', mode: 'live', openedAt: '2026-04-21T10:00:00Z' };
    const md = postmortemMarkdown(reportFacts(s, { now: REPORT_NOW }));
    for (const cmd of [
      ':pm summary TEXT',
      ':pm impact TEXT',
      ':pm root-cause TEXT',
      ':pm why TEXT',
      ':pm went-well TEXT',
      ':pm went-badly TEXT',
      ':pm lessons TEXT',
      ':item OWNER YYYY-MM-DD TEXT',
      ':detected HH:MM',
      ':resolved [HH:MM]',
    ]) {
      expect(md, cmd).toContain(cmd);
    }
    expect(md).toContain('## 8. Action items');
  });
});
