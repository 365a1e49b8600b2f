import { describe, expect, it } from 'vitest';
import { csvCell, jsonText, mdCode, mdText } from '../../../src/reports/escape.js';
import { scorecardMarkdown, scorecardText } from '../../../src/reports/scorecard.js';

describe('mdText', () => {
  it('escapes & so an entity in the input stays text (&#x202E; is not a real RLO)', () => {
    expect(mdText('user&#x202E;gnp.exe &#8238; &lt;b&gt; &amp;')).toBe(
      'user&amp;#x202E;gnp.exe &amp;#8238; &amp;lt;b&amp;gt; &amp;amp;',
    );
  });
  it('escapes < and > so no HTML is written', () => {
    expect(mdText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });
  it('stops bare URL, www and e-mail autolinks', () => {
    expect(mdText('see https://evil.example/x and ftp://h and //cdn.evil')).toBe(
      'see https:/\\/evil.example/x and ftp:/\\/h and /\\/cdn.evil',
    );
    expect(mdText('www.evil.example WWW.EVIL.EXAMPLE')).toBe('www\\.evil.example WWW\\.EVIL.EXAMPLE');
    expect(mdText('mail mallory@evil.example now')).toBe('mail mallory\\@evil.example now');
  });
  it('escapes ~ (GFM strike-through with one or two tildes) and $ (math)', () => {
    expect(mdText('~~revoked~~ ~x~ $x^2$')).toBe('\\~\\~revoked\\~\\~ \\~x\\~ \\$x^2\\$');
  });
  it('escapes emphasis, code, links, images and table pipes', () => {
    expect(mdText('![t](http://e/p.png) [a](javascript:x) *b* _c_ `d` |e| \\f')).toBe(
      '\\!\\[t\\](http:/\\/e/p.png) \\[a\\](javascript:x) \\*b\\* \\_c\\_ \\`d\\` \\|e\\| \\\\f',
    );
  });
  it('escapes block syntax a string could open at the start of a line', () => {
    expect(mdText('# Heading')).toBe('\\# Heading');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('+ item')).toBe('\\+ item');
    expect(mdText('---')).toBe('\\---');
    expect(mdText('===')).toBe('\\===');
    expect(mdText('12. item')).toBe('12\\. item');
    expect(mdText('3) item')).toBe('3\\) item');
    expect(mdText('> quote')).toBe('&gt; quote');
    expect(mdText('a # b - c 1. d')).toBe('a # b - c 1. d');
  });
  it('neutralises for the terminal too, on one line', () => {
    expect(mdText('a\x1b]0;x\x07\nb\u202e\u3164\ufe0f')).toBe('a␛\\]0;x␇␊b&lt;U+202E&gt;&lt;U+3164&gt;&lt;U+FE0F&gt;');
  });
});

describe('mdCode', () => {
  it('fences with more backticks than any run inside, padding a leading or trailing one', () => {
    expect(mdCode('evidence/EV-001_a.json')).toBe('`evidence/EV-001_a.json`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x```')).toBe('```` `x``` ````');
  });
  it('neutralises what it shows', () => {
    expect(mdCode('p\x1b[2J\u202e\n')).toBe('`p␛[2J<U+202E>␊`');
  });
});

describe('csvCell', () => {
  it('prefixes every formula trigger with a quote', () => {
    for (const f of ['=HYPERLINK("http://evil","x")', '+1+cmd|/C calc!A0', '-2+3', '@SUM(A1)'])
      expect(csvCell(f).replace(/^"|"$/g, '').startsWith(`'${f[0]}`)).toBe(true);
  });
  it('neutralises tab and CR (then no longer formula triggers) and quotes commas, quotes and newlines', () => {
    expect(csvCell('\t=1')).toBe('    =1');
    expect(csvCell('\r=1')).toBe('␍=1');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('x\ny')).toBe('x␊y');
  });
});

describe('jsonText', () => {
  it('writes invisible, bidi, C1 and variation-selector characters as \\u escapes, losslessly', () => {
    const v = { s: 'a\u202e\u0085\u3164\ufe0f\u{e0100}\u{e0041}\x1b' };
    const t = jsonText(v);
    expect(t).toMatch(/^[\x0a\x20-\x7e]*$/u);
    expect(t).toContain('\\u202e\\u0085\\u3164\\ufe0f\\udb40\\udd00\\udb40\\udc41\\u001b');
    expect(JSON.parse(t)).toEqual(v);
  });
});

describe('the drill scorecard quotes journal text through the same escapers', () => {
  // A journal is forgeable: a drill.scored record's detail and scenario are attacker text too.
  const card = {
    scenario: 'evil\x1b]0;x\x07`s',
    metrics: [
      {
        id: 'contain',
        label: 'Time to contain',
        targetMinutes: 30,
        pass: false,
        detail: 'isolate on [x](https://evil.example) &#x202E; \x1b[2J\u3164',
      },
    ],
    passed: 0,
    total: 1,
  };
  it('Markdown: no raw ESC, entity, link or invisible character', () => {
    const md = scorecardMarkdown(card, 'T ~~x~~');
    expect(md).not.toMatch(/[\x1b\u3164]|&#x|(?<!\\)\]\(|:\/\/|(?<!\\)~/);
    expect(md).toContain('``evil␛]0;x␇`s``');
    expect(md).toContain('\\[x\\](https:/\\/evil.example) &amp;#x202E; ␛\\[2J&lt;U+3164&gt;');
  });
  it('text: neutralised for the terminal', () => {
    expect(scorecardText(card)).not.toMatch(/[\x1b\u3164]/);
  });
});
