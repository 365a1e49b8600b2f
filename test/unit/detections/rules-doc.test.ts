// The README's rules reference comes from the rule definitions (npm run keys), and every Stratus
// Red Team technique the table maps names a rule that exists.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../src/detections/index.js';
import {
  ATTACK,
  RULES_END,
  RULES_START,
  STRATUS,
  rulesTableMarkdown,
  withRulesTable,
} from '../../../src/detections/rules-doc.js';

describe('rules reference', () => {
  it('has a row and an ATT&CK entry for every rule', () => {
    const md = rulesTableMarkdown();
    for (const r of ALL_RULES) {
      expect(md, r.id).toContain(`| \`${r.id}\` |`);
      expect(ATTACK[r.id], r.id).toBeDefined();
    }
  });

  it('replaces a stale table between the markers', () => {
    const stale = `# x\n${RULES_START}\n| old |\n${RULES_END}\nafter\n`;
    const fresh = withRulesTable(stale);
    expect(fresh).not.toContain('| old |');
    expect(fresh).toContain('`cloudtrail.snapshot-shared`');
    expect(withRulesTable(fresh)).toBe(fresh);
  });

  it('README.md is up to date (npm run keys)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(withRulesTable(readme), 'README.md rules table is stale: run npm run keys').toBe(readme);
  });

  it('every mapped Stratus technique names an existing rule', () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    for (const [t, rule] of Object.entries(STRATUS)) if (rule !== null) expect(ids.has(rule), t).toBe(true);
  });
});
