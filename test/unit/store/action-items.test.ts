// Action-item ids are allocated by the store, not by the view that typed the command: the next
// free AI-n after the count held, skipping ids already taken (a journal can hold AI-1 and AI-3
// only), never a reuse.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newIncident } from '../../../store/open.js';
import { CommandError } from '../../../store/store.js';
import { OPENED, scratch } from './fixtures.js';

const tmp = scratch();
beforeEach(() => tmp.setup());
afterEach(() => tmp.cleanup());

describe('addActionItem', () => {
  it('takes the next free AI-n when no id is given', async () => {
    const { store, journal } = await newIncident(tmp.file('incident.jsonl'), OPENED, { actor: 'alice' });
    tmp.track(journal);
    const c = store.getState().actions;
    const item = { text: 'Rotate the CI keys', owner: 'bob', due: '2026-05-01' };
    expect(await c.addActionItem(item)).toBe('AI-1');
    expect(await c.addActionItem({ ...item, itemId: 'AI-3' })).toBe('AI-3');
    // Two items held: AI-3 is taken, so the next is AI-4, not a second AI-3.
    expect(await c.addActionItem(item)).toBe('AI-4');
    expect(await c.addActionItem(item)).toBe('AI-5');
    await expect(c.addActionItem({ ...item, itemId: 'AI-3' })).rejects.toBeInstanceOf(CommandError);
    expect([...store.getState().state.actionItems.keys()].sort()).toEqual(['AI-1', 'AI-3', 'AI-4', 'AI-5']);
  });
});
