// The README's record-type table is generated from records.ts: a type added (or a field renamed)
// without `npm run keys` fails here, like the key and action tables.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORDS_START, recordTableMarkdown, withRecordTable } from '../../../src/journal/record-docs.js';
import { RECORD_TYPES } from '../../../src/journal/records.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README record-type table', () => {
  it('lists every record type once, with its data fields', () => {
    const table = recordTableMarkdown();
    for (const t of RECORD_TYPES) expect(table.split('\n').filter((l) => l.startsWith(`| \`${t}\` |`))).toHaveLength(1);
    expect(table).toMatch(/\| `severity\.set` \| .* \| `level`, `reason\?` \|/);
    expect(table.split('\n')).toHaveLength(RECORD_TYPES.length + 2);
  });

  it('is current in README.md', () => {
    expect(README).toContain(RECORDS_START);
    expect(withRecordTable(README), 'README.md record table is stale: run npm run keys').toBe(README);
  });
});
