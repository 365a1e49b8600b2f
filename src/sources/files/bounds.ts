// The edge where attacker bytes become objects: a parsed record deeper than MAX_DEPTH or holding a
// number JSON.parse turned into ±Infinity (`1e999`) is refused here, so nothing downstream (the
// canonical form the journal hashes, redaction, neutralising, the detection rules) ever sees one.
// CloudTrail and Kubernetes audit records are a few levels deep; 256 leaves room for any real
// requestParameters while keeping every later walk far from the stack limit.

export const MAX_DEPTH = 256;

export interface BoundsProblem {
  kind: 'non-finite' | 'too-deep';
  reason: string;
}

/** Why the value cannot be stored, as a sentence; undefined when it is fine. Iterative: no recursion. */
export function boundsProblem(value: unknown, maxDepth = MAX_DEPTH): BoundsProblem | undefined {
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const v = stack.pop();
    const d = depths.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        return {
          kind: 'non-finite',
          reason: 'a number too large to represent (JSON.parse reads it as Infinity), skipped',
        };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (d >= maxDepth) return { kind: 'too-deep', reason: `nested deeper than ${maxDepth} levels, skipped` };
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) {
      if (c !== null && (typeof c === 'object' || typeof c === 'number')) {
        stack.push(c);
        depths.push(d + 1);
      }
    }
  }
  return undefined;
}
