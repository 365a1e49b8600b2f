// "Did you mean …?" for a mistyped word: the one candidate it most likely meant, or nothing.
// A responder at 03:00 types `:phase contain` or `:act aws.deactivatekey`; naming the right word
// beats listing every option. Never a guess between two: a suggestion that is wrong half the time
// teaches the wrong word.

/** Edit distance with adjacent transpositions ("hippa" → "hipaa" is one). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/**
 * The candidate `word` was meant to be: the only one it is a prefix of (three letters or more),
 * else the only one within a small edit distance (1 for words up to 5 letters, 2 beyond), compared
 * case-insensitively. Undefined for an exact match, an empty word, or a tie.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.trim().toLowerCase();
  if (!w || candidates.some((c) => c.toLowerCase() === w)) return undefined;
  const only = (xs: readonly string[]) => (xs.length === 1 ? xs[0] : undefined);
  if (w.length >= 3) {
    const prefixed = only(candidates.filter((c) => c.toLowerCase().startsWith(w)));
    if (prefixed) return prefixed;
  }
  const max = w.length <= 5 ? 1 : 2;
  let best: string[] = [];
  let bestD = max + 1;
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist > max) continue;
    if (dist < bestD) ((best = [c]), (bestD = dist));
    else if (dist === bestD) best.push(c);
  }
  return w.length >= 3 ? only(best) : undefined;
}

/** " — did you mean X?" or "" (for appending to an error message). */
export function meantSuffix(word: string, candidates: readonly string[]): string {
  const m = didYouMean(word, candidates);
  return m ? ` — did you mean ${m}?` : '';
}
