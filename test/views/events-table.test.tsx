// The live events as a table that uses the screen: at 80x24, 120x40 and 200x50 the
// columns are sized from the width and the rows, failure markers are never cut (a denied
// StopLogging must not read as a success), and no cell is cut inside a character or grapheme.

import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain/event.js';
import { planEventColumns, eventRowText } from '../../views/event-table.js';
import { fitCell } from '../../views/format.js';
import { Scratch, cloudTrailEvent, createJournal, linesOf, mount, type Cockpit } from './harness.js';

let scratch: Scratch;
let cockpit: Cockpit | undefined;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(async () => {
  cockpit?.unmount();
  cockpit = undefined;
  await scratch.cleanup();
});

const ROLE = 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/orders-api-7c1e0f9d';

/** A realistic feed: long names, denied calls with long error codes, wide and combining characters. */
function feed(): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  for (let n = 0; n < 30; n++) {
    const e = cloudTrailEvent(n, { actor: ROLE, region: 'eu-west-1', sourceIp: '203.0.113.45' });
    if (n % 5 === 1)
      Object.assign(e, {
        action: 'StopLogging',
        targets: ['arn:aws:cloudtrail:eu-west-1:123456789012:trail/prod-audit-organization-trail'],
        outcome: 'failure',
        errorCode: 'AccessDenied',
      });
    if (n % 7 === 3)
      Object.assign(e, {
        action: 'GetSecretValue',
        targets: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/orders/db-AbCdEf'],
        outcome: 'failure',
        errorCode: 'ResourceNotFoundException',
      });
    // Attacker-chosen names: CJK (two columns each), an emoji with a skin tone, a combining accent.
    if (n === 11) Object.assign(e, { actor: `arn:aws:iam::123456789012:user/${'漢字'.repeat(20)}` });
    if (n === 12) Object.assign(e, { targets: [`arn:aws:s3:::bucket/${'👍🏽'.repeat(30)}`] });
    if (n === 13) Object.assign(e, { actor: `arn:aws:iam::123456789012:user/${'e\u0301'.repeat(60)}` });
    out.push(e);
  }
  return out;
}

/** The events pane's rows (title and heading dropped): the pane is the one titled "3 Live events". */
function eventRows(frame: string): { heading: string | undefined; rows: string[] } {
  const lines = linesOf(frame);
  const i = lines.findIndex((l) => /3 Live events/.test(l));
  const col = lines[i]!.indexOf('3 Live events') - 1;
  const body: string[] = [];
  for (let k = i + 1; k < lines.length; k++) {
    const l = lines[k]!.slice(col);
    if (/^[▌ ]4 Actions/.test(l) || l.trim() === '') break;
    body.push(l);
  }
  const heading = body[0]?.includes('ACTION') ? body.shift() : undefined;
  return { heading, rows: body };
}

describe('the events table', () => {
  for (const [cols, rows, shown] of [
    [80, 24, ['ACTION', 'ACTOR', 'TARGET']],
    [120, 40, ['ACTION', 'ACTOR', 'TARGET', 'SOURCE IP', 'REGION/NS', 'MARKS']],
    [200, 50, ['ACTION', 'ACTOR', 'TARGET', 'SOURCE IP', 'REGION/NS', 'MARKS']],
  ] as const) {
    it(`at ${cols}x${rows}: columns from width and content, markers whole, characters whole`, async () => {
      const { file, store } = await createJournal(scratch, { events: feed() });
      const c = (cockpit = await mount(store, file, { cols, rows }));
      c.press('g'); // from the first row, so the wide-character rows are in view at every size
      const f = await c.waitFor((x) => x.includes('> 14:30:00 CT'), 'the first event selected');
      const { heading, rows: body } = eventRows(f);
      if (rows >= 40) {
        expect(heading, 'a heading over the columns').toBeDefined();
        for (const h of shown) expect(heading).toContain(h);
      }
      expect(body.length).toBeGreaterThan(3);
      const width = cols >= 160 ? cols - Math.floor(cols / 2) - 1 : cols;
      for (const r of body) {
        expect(stringWidth(r), r).toBeLessThanOrEqual(width);
        expect(r.isWellFormed(), r).toBe(true);
        // A failed call always shows its whole error code.
        if (/StopLogging/.test(r)) expect(r).toMatch(/!AccessDenied( |$)/);
        if (/GetSecretValue/.test(r)) expect(r).toMatch(/!ResourceNotFoundException( |$)/);
        // Never a combining mark or a skin-tone modifier cut off from its base.
        expect(r).not.toMatch(/~\u0301|~🏽|^\u0301/u);
      }
      if (cols === 120) {
        // Whole names at 120 columns (the panes stack, the table has the width): role and trail readable.
        expect(body.some((r) => r.includes('StopLogging') && r.includes('orders-api-prod/'))).toBe(true);
        expect(body.some((r) => r.includes('trail/prod-audit'))).toBe(true);
      }
    });
  }
});

describe('cells', () => {
  it('are cut by display width on grapheme boundaries', () => {
    expect(fitCell('漢字漢字', 5)).toBe('漢字~');
    expect(fitCell('漢字漢字', 6)).toBe('漢字~ ');
    expect(stringWidth(fitCell('漢字漢字', 5))).toBe(5);
    expect(fitCell('👍🏽👍🏽👍🏽', 5)).toBe('👍🏽👍🏽~');
    expect(fitCell('e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301e\u0301');
    expect(fitCell('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301~');
    expect(fitCell('abcdef', 4)).toBe('abc~');
    expect(fitCell('ab', 4)).toBe('ab  ');
  });

  it('the marker column is kept even when the names would take every column', () => {
    const e = {
      seq: 1,
      key: 'k',
      source: 'cloudtrail' as const,
      id: 'e',
      eventTime: 0,
      discoveredAt: 0,
      actor: 'a'.repeat(200),
      action: 'StopLogging',
      target: 'trail/' + 'x'.repeat(200),
      scope: 'eu-west-1',
      sourceIp: '203.0.113.45',
      outcome: 'failure' as const,
      errorCode: 'AccessDenied',
      accessKeyId: undefined,
      offset: 0,
      length: 0,
    };
    for (const w of [40, 59, 79, 119, 199]) {
      const line = eventRowText(e, w, false, planEventColumns(w, [e]));
      expect(line).toHaveLength(w);
      expect(line.trimEnd().endsWith('!AccessDenied'), line).toBe(true);
    }
  });

  it('an IPv4 source address is whole whenever its column is shown, however long the other cells', () => {
    const e = {
      seq: 1,
      key: 'cloudtrail:e',
      source: 'cloudtrail' as const,
      id: 'e',
      eventTime: 0,
      discoveredAt: 0,
      actor: 'arn:aws:sts::123456789012:assumed-role/orders-api-prod/' + 'a'.repeat(80),
      action: 'AssumeRoleWithWebIdentity',
      target: 'arn:aws:iam::123456789012:role/' + 'x'.repeat(80),
      scope: 'ap-southeast-2',
      sourceIp: '203.0.113.145',
      outcome: 'failure' as const,
      errorCode: 'AccessDenied',
      accessKeyId: undefined,
      offset: 0,
      length: 0,
    };
    for (const w of [80, 99, 119]) {
      const cols = planEventColumns(w, [e]);
      const line = eventRowText(e, w, false, cols);
      if (cols.widths.ip) expect(line, `${w}: ${line}`).toContain(' 203.0.113.145 ');
    }
    // At 99 columns (the events pane at 200x50) the address is shown.
    expect(planEventColumns(99, [e]).widths.ip).toBeGreaterThanOrEqual(13);
  });

  it('names the account or cluster only when the rows come from several', () => {
    const row = (where: string, id: string) => ({
      seq: 1,
      key: `cloudtrail:${id}`,
      source: 'cloudtrail' as const,
      id,
      eventTime: Date.parse('2026-04-20T14:31:05Z'),
      discoveredAt: Date.parse('2026-04-20T14:33:00Z'),
      actor: 'arn:aws:sts::111111111111:assumed-role/ci-deployer/s',
      action: 'GetSecretValue',
      target: 'secret/orders-db',
      scope: 'us-east-1',
      where,
      sourceIp: '203.0.113.7',
      outcome: 'success' as const,
      errorCode: undefined,
      accessKeyId: undefined,
      offset: 0,
      length: 0,
    });
    const a = row('111111111111', 'a');
    const b = row('222222222222', 'b');
    // One account: no column for it.
    expect(planEventColumns(160, [a, { ...a, id: 'c' }]).widths.where).toBe(0);
    const cols = planEventColumns(160, [a, b]);
    expect(cols.widths.where).toBeGreaterThanOrEqual(12);
    expect(eventRowText(b, 160, false, cols)).toContain(' 222222222222 ');
    // Narrow: the account goes before the Region, IP or names.
    const narrow = planEventColumns(70, [a, b]).widths;
    expect(narrow.where).toBe(0);
    expect(narrow.scope).toBeGreaterThan(0);
  });
});

describe('zoom', () => {
  it('z gives the focused pane the whole screen, and z again brings every pane back', async () => {
    const { file, store } = await createJournal(scratch, { events: feed() });
    const c = (cockpit = await mount(store, file, { cols: 120, rows: 40 }));
    const before = eventRows(c.frame()).rows.length;
    expect(c.frame()).toContain('2 Timeline');
    c.press('z');
    const f = await c.waitFor((x) => !x.includes('2 Timeline'), 'the events pane alone');
    expect(f).not.toContain('1 Severity');
    expect(f).not.toContain('4 Actions');
    // The body less the pane's title and heading: every row the screen has is used.
    expect(eventRows(f).rows.length).toBe(Math.min(30, 40 - 3 - 2));
    expect(eventRows(f).rows.length).toBeGreaterThan(before);
    c.press('z');
    await c.waitForText('2 Timeline', '1 Severity', '4 Actions');
  });
});
