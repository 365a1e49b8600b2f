// A Sigma condition ("selection and not 1 of filter_*") → an AST. The grammar is the one Sigma's
// specification gives: `or` binds looser than `and`, `not` tightest, parentheses group, and
// `1 of X*` / `all of X*` / `1 of them` / `all of them` quantify over detection identifiers.
// Aggregations (`| count() by x > 5`) and the deprecated `near` are refused by name, never
// ignored: a rule whose condition we cannot evaluate exactly must not run at all.
// https://github.com/SigmaHQ/sigma-specification/blob/main/specification/sigma-rules-specification.md#condition

export type ConditionNode =
  | { kind: 'id'; name: string }
  | { kind: 'not'; arg: ConditionNode }
  | { kind: 'and' | 'or'; args: ConditionNode[] }
  | { kind: 'of'; quantifier: 'one' | 'all'; names: string[] };

export class ConditionError extends Error {}

type Token =
  { t: 'lp' | 'rp' | 'and' | 'or' | 'not' | 'of' | 'them' | 'all' | 'one' | 'pipe' } | { t: 'word'; v: string };

const WORD = /^[A-Za-z0-9_*.-]+/;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out.push({ t: ch === '(' ? 'lp' : 'rp' });
      i++;
      continue;
    }
    if (ch === '|') {
      // Everything after the pipe is an aggregation expression: one token stands for it.
      out.push({ t: 'pipe' });
      break;
    }
    const m = WORD.exec(text.slice(i));
    if (!m) throw new ConditionError(`unexpected character "${ch}" in the condition`);
    const w = m[0];
    i += w.length;
    const lower = w.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'not' || lower === 'of' || lower === 'them' || lower === 'all')
      out.push({ t: lower });
    else if (lower === '1' || lower === 'any') out.push({ t: 'one' });
    else if (lower === 'near') throw new ConditionError('the "near" operator (deprecated correlation)');
    else out.push({ t: 'word', v: w });
  }
  return out;
}

/** Parses `text` over the rule's detection identifiers; names in the AST exist in `ids`. */
export function parseCondition(text: string, ids: readonly string[]): ConditionNode {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p];
  const take = () => toks[p++];

  const expand = (pattern: string): string[] => {
    if (pattern === 'them') return ids.filter((n) => !n.startsWith('_'));
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return ids.filter((n) => re.test(n));
  };

  const primary = (): ConditionNode => {
    const tok = take();
    if (!tok) throw new ConditionError('the condition ends too early');
    if (tok.t === 'lp') {
      const e = orExpr();
      if (take()?.t !== 'rp') throw new ConditionError('a "(" is not closed');
      return e;
    }
    if (tok.t === 'one' || tok.t === 'all' || (tok.t === 'word' && /^\d+$/.test(tok.v))) {
      if (tok.t === 'word') throw new ConditionError(`"${tok.v} of" (only "1 of" and "all of" are defined)`);
      if (take()?.t !== 'of') throw new ConditionError(`"${tok.t === 'one' ? '1' : 'all'}" must be followed by "of"`);
      const target = take();
      const pattern = target?.t === 'them' ? 'them' : target?.t === 'word' ? target.v : undefined;
      if (!pattern) throw new ConditionError('"of" must be followed by an identifier pattern or "them"');
      const names = expand(pattern);
      if (!names.length) throw new ConditionError(`"${pattern}" names no detection identifier`);
      return { kind: 'of', quantifier: tok.t === 'one' ? 'one' : 'all', names };
    }
    if (tok.t === 'word') {
      if (tok.v.includes('*')) throw new ConditionError(`a wildcard identifier "${tok.v}" outside "1 of" / "all of"`);
      if (!ids.includes(tok.v)) throw new ConditionError(`"${tok.v}" is not a detection identifier of this rule`);
      return { kind: 'id', name: tok.v };
    }
    if (tok.t === 'pipe') throw new ConditionError('an aggregation ("| count() …", a Sigma v1 correlation)');
    throw new ConditionError(`unexpected "${tok.t}" in the condition`);
  };
  const notExpr = (): ConditionNode => {
    if (peek()?.t === 'not') {
      take();
      return { kind: 'not', arg: notExpr() };
    }
    return primary();
  };
  const binary = (op: 'and' | 'or', next: () => ConditionNode) => (): ConditionNode => {
    const args = [next()];
    while (peek()?.t === op) {
      take();
      args.push(next());
    }
    return args.length === 1 ? args[0]! : { kind: op, args };
  };
  const andExpr = binary('and', notExpr);
  const orExpr = binary('or', andExpr);

  if (!toks.length) throw new ConditionError('the condition is empty');
  const ast = orExpr();
  const rest = peek();
  if (rest) {
    if (rest.t === 'pipe') throw new ConditionError('an aggregation ("| count() …", a Sigma v1 correlation)');
    throw new ConditionError(`unexpected "${rest.t === 'word' ? rest.v : rest.t}" after a complete condition`);
  }
  return ast;
}

/** Evaluates the AST, asking `test` for each identifier (memoised by the caller if it wants). */
export function evaluate(node: ConditionNode, test: (name: string) => boolean): boolean {
  switch (node.kind) {
    case 'id':
      return test(node.name);
    case 'not':
      return !evaluate(node.arg, test);
    case 'and':
      return node.args.every((a) => evaluate(a, test));
    case 'or':
      return node.args.some((a) => evaluate(a, test));
    case 'of':
      return node.quantifier === 'one' ? node.names.some(test) : node.names.every(test);
  }
}
