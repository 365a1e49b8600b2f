import { createStore } from 'zustand/vanilla';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesced } from '../../views/context.js';

afterEach(() => vi.useRealTimers());

describe('coalesced repaint notifications', () => {
  it('notifies a lone change at once, folds a burst into one trailing notification, and flushes on demand', () => {
    vi.useFakeTimers();
    const store = createStore<{ n: number }>()(() => ({ n: 0 }));
    const view = coalesced(store, 100);
    const seen: number[] = [];
    view.subscribe((s) => seen.push(s.n));
    store.setState({ n: 1 });
    expect(seen).toEqual([1]);
    for (let i = 2; i <= 50; i++) store.setState({ n: i });
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 50]);
    store.setState({ n: 51 });
    expect(seen).toEqual([1, 50]);
    view.flush();
    expect(seen).toEqual([1, 50, 51]);
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([1, 50, 51]);
  });
});
