// Start-up details a new user meets first: two drills started in the same minute shared a
// default journal (the second was refused or silently resumed the first); `npm start` exports
// EDITOR=vi, so `:update` opened vi although no editor was set; `:personal-data nis` (meant nis2)
// started GDPR and HIPAA with the note "nis".

import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newDrillJournalPath } from '../../../app/commands/drill.js';
import { editorCommand } from '../../../app/editor.js';
import { suggestRegime } from '../../../src/domain/deadlines.js';
import { parseCommsCommand } from '../../../views/palette-comms.js';
import { tempDir } from '../../helpers/tmp.js';

describe('default drill journal names', () => {
  it('are unique to the second plus a random suffix, and never an existing file', () => {
    const dir = tempDir();
    const at = Date.parse('2026-12-03T19:23:43.123Z');
    const a = newDrillJournalPath(dir, 'inc-2026-042', at);
    const b = newDrillJournalPath(dir, 'inc-2026-042', at);
    expect(a).toMatch(/inc-2026-042-20261203T192343Z-[0-9a-f]{6}\.jsonl$/);
    expect(b).not.toBe(a);
    // A clash with a file already there takes the next suffix: a default name never resumes.
    writeFileSync(`${dir}/inc-2026-042-20261203T192343Z-aaaaaa.jsonl`, '');
    const suffixes = ['aaaaaa', 'bbbbbb'];
    expect(newDrillJournalPath(dir, 'inc-2026-042', at, () => suffixes.shift()!)).toMatch(/-bbbbbb\.jsonl$/);
  });
});

describe('the editor', () => {
  const npm = { npm_lifecycle_event: 'start', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' };
  it("ignores npm's injected EDITOR=vi when the user set none", () => {
    expect(editorCommand({ ...npm, EDITOR: 'vi' })).toBeUndefined();
    expect(editorCommand({ ...npm, EDITOR: 'C:\\Windows\\notepad.exe' })).toBeUndefined();
  });
  it('honours what the user set, under npm or not', () => {
    expect(editorCommand({ ...npm, EDITOR: 'nano' })).toEqual(['nano']);
    expect(editorCommand({ ...npm, EDITOR: 'vi', VISUAL: 'code -w' })).toEqual(['code', '-w']);
    expect(editorCommand({ EDITOR: 'vi' })).toEqual(['vi']);
    expect(editorCommand({})).toBeUndefined();
  });
});

describe('palette regimes', () => {
  const parse = (rest: string) =>
    parseCommsCommand('personal-data', rest, Date.parse('2026-04-20T15:00:00Z'), 'usage', () => undefined);
  it('refuses a near miss with a suggestion instead of taking it as the note', () => {
    expect(parse('nis')).toEqual({ error: expect.stringContaining('unknown regime nis — did you mean nis2?') });
    expect(parse('gdpr,hippa')).toEqual({ error: expect.stringContaining('did you mean hipaa?') });
    expect(parseCommsCommand('decide', 'nis notify counsel', 0, 'usage', () => undefined)).toEqual({
      error: 'unknown regime nis — did you mean nis2?',
    });
  });
  it('still takes a note that is not near any regime', () => {
    expect(parse('data in the export bucket')).toMatchObject({
      regimes: ['gdpr', 'hipaa'],
      note: 'data in the export bucket',
    });
    expect(parse('nis2 customer emails')).toMatchObject({ regimes: ['nis2'], note: 'customer emails' });
    expect(suggestRegime('data')).toBeUndefined();
    expect(suggestRegime('customer')).toBeUndefined();
  });
});
