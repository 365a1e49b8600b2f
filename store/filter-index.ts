// Filtered views of the long lists, memoised so a new event costs O(new rows), not O(all rows):
// each index remembers how far it has scanned and extends from there (the logs are append-only).
// A different filter text or an earlier as-of seq starts a fresh index.

import type { ChunkedLog } from './chunked.js';
import { countAsOf } from './selectors.js';

export interface ListView<T> {
  /** Rows visible with the filter, as of the seq asked for. */
  count: number;
  at(i: number): T | undefined;
  /** Position in the view of the row at log index `logIndex`, or -1. */
  indexOfLog(logIndex: number): number;
}

interface Memo<T> {
  log: ChunkedLog<T>;
  needle: string;
  scanned: number;
  matches: number[];
}

/** Case-insensitive substring match over a row's searchable text. */
export function createFilteredView<T extends { seq: number }>(text: (row: T) => string) {
  let memo: Memo<T> | undefined;
  return function view(log: ChunkedLog<T>, filter: string, asOf: number): ListView<T> {
    const limit = countAsOf(log, asOf);
    const needle = filter.trim().toLowerCase();
    if (!needle) {
      return {
        count: limit,
        at: (i) => (i < limit ? log.at(i) : undefined),
        indexOfLog: (li) => (li < limit ? li : -1),
      };
    }
    if (!memo || memo.log !== log || memo.needle !== needle || memo.scanned > limit) {
      memo = { log, needle, scanned: 0, matches: [] };
    }
    const m = memo;
    for (; m.scanned < limit; m.scanned++) {
      if (text(log.at(m.scanned)!).toLowerCase().includes(needle)) m.matches.push(m.scanned);
    }
    const matches = m.matches;
    return {
      count: matches.length,
      at: (i) => (i < matches.length ? log.at(matches[i]!) : undefined),
      indexOfLog: (li) => {
        let lo = 0;
        let hi = matches.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (matches[mid]! < li) lo = mid + 1;
          else hi = mid;
        }
        return matches[lo] === li ? lo : -1;
      },
    };
  };
}
