// The small SQL subset the simulated CloudTrail Lake and Athena run themselves: one SELECT over one
// table (an event data store id, or an Athena table), a WHERE of and / or / not over comparisons,
// ORDER BY and LIMIT. A statement outside the subset is refused with the position and a reason,
// the way a real engine refuses one it cannot run (Trino's "line 1:N: mismatched input …").
// Lake's SQL: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html
// Athena's: https://docs.aws.amazon.com/athena/latest/ug/select.html

export class SqlError extends Error {}

type Tok =
  | { k: 'word'; v: string; at: number }
  | { k: 'qname'; v: string; at: number }
  | { k: 'str'; v: string; at: number }
  | { k: 'num'; v: number; at: number }
  | { k: 'op'; v: string; at: number }
  | { k: 'end'; at: number };

export type Literal = string | number | boolean | null;
export type Operand = { path: string[] } | { lit: Literal };
export type Expr =
  | { and: Expr[] }
  | { or: Expr[] }
  | { not: Expr }
  | { cmp: '=' | '!=' | '<' | '<=' | '>' | '>='; a: Operand; b: Operand }
  | { like: Operand; pattern: string; negate: boolean }
  | { in: Operand; values: Literal[]; negate: boolean }
  | { isNull: Operand; negate: boolean };

export interface SelectItem {
  path: string[];
  /** The result column's name: the alias, else the path's last part as written. */
  name: string;
}

export interface Select {
  /** Undefined: `SELECT *`. */
  items?: SelectItem[];
  /** The FROM name's parts (`db.table` is two). */
  from: string[];
  where?: Expr;
  orderBy: { path: string[]; desc: boolean }[];
  limit?: number;
}

const KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'like',
  'in',
  'is',
  'null',
  'order',
  'by',
  'asc',
  'desc',
  'limit',
  'as',
  'true',
  'false',
]);

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') throw new SqlError(`line 1:${i + 1}: comments are not supported`);
    if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new SqlError(`line 1:${i + 1}: unterminated string literal`);
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += sql[j];
        j++;
      }
      out.push({ k: 'str', v, at: i + 1 });
      i = j + 1;
      continue;
    }
    if (c === '"') {
      const j = sql.indexOf('"', i + 1);
      if (j < 0) throw new SqlError(`line 1:${i + 1}: unterminated quoted identifier`);
      out.push({ k: 'qname', v: sql.slice(i + 1, j), at: i + 1 });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z0-9_][A-Za-z0-9_-]*/.exec(sql.slice(i));
    if (word) {
      const w = word[0];
      if (/^\d+$/.test(w)) out.push({ k: 'num', v: Number(w), at: i + 1 });
      else out.push({ k: 'word', v: w, at: i + 1 });
      i += w.length;
      continue;
    }
    const op = /^(<=|>=|<>|!=|[=<>(),.*;])/.exec(sql.slice(i));
    if (!op) throw new SqlError(`line 1:${i + 1}: unexpected character ${JSON.stringify(c)}`);
    out.push({ k: 'op', v: op[0], at: i + 1 });
    i += op[0].length;
  }
  out.push({ k: 'end', at: sql.length + 1 });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly t: Tok[]) {}

  private peek(): Tok {
    return this.t[this.i]!;
  }
  private next(): Tok {
    return this.t[this.i++]!;
  }
  private fail(what: string): never {
    const t = this.peek();
    const seen = t.k === 'end' ? '<EOF>' : `'${String(t.v)}'`;
    throw new SqlError(`line 1:${t.at}: mismatched input ${seen}. Expecting: ${what}`);
  }
  private isKw(kw: string): boolean {
    const t = this.peek();
    return t.k === 'word' && t.v.toLowerCase() === kw;
  }
  private kw(kw: string): void {
    if (!this.isKw(kw)) this.fail(kw.toUpperCase());
    this.i++;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.v === op;
  }
  private op(op: string): void {
    if (!this.isOp(op)) this.fail(`'${op}'`);
    this.i++;
  }

  private name(): string {
    const t = this.peek();
    if (t.k === 'qname') return (this.i++, t.v);
    if (t.k === 'word' && !KEYWORDS.has(t.v.toLowerCase())) return (this.i++, t.v);
    return this.fail('an identifier');
  }

  private path(): string[] {
    const parts = [this.name()];
    while (this.isOp('.')) {
      this.i++;
      parts.push(this.name());
    }
    return parts;
  }

  select(): Select {
    this.kw('select');
    let items: SelectItem[] | undefined;
    if (this.isOp('*')) this.i++;
    else {
      items = [];
      do {
        if (items.length) this.i++;
        const path = this.path();
        let name = path.at(-1)!;
        if (this.isKw('as')) {
          this.i++;
          name = this.name();
        }
        items.push({ path, name });
      } while (this.isOp(','));
    }
    this.kw('from');
    const from = this.path();
    const where = this.isKw('where') ? (this.i++, this.or()) : undefined;
    const orderBy: Select['orderBy'] = [];
    if (this.isKw('order')) {
      this.i++;
      this.kw('by');
      do {
        if (orderBy.length) this.i++;
        const path = this.path();
        let desc = false;
        if (this.isKw('asc')) this.i++;
        else if (this.isKw('desc')) {
          this.i++;
          desc = true;
        }
        orderBy.push({ path, desc });
      } while (this.isOp(','));
    }
    let limit: number | undefined;
    if (this.isKw('limit')) {
      this.i++;
      const t = this.next();
      if (t.k !== 'num') return (this.i--, this.fail('a number'));
      limit = t.v;
    }
    if (this.isOp(';')) this.i++;
    if (this.peek().k !== 'end') this.fail('<EOF>');
    return {
      ...(items ? { items } : {}),
      from,
      ...(where ? { where } : {}),
      orderBy,
      ...(limit !== undefined ? { limit } : {}),
    };
  }

  private or(): Expr {
    const xs = [this.and()];
    while (this.isKw('or')) {
      this.i++;
      xs.push(this.and());
    }
    return xs.length === 1 ? xs[0]! : { or: xs };
  }

  private and(): Expr {
    const xs = [this.not()];
    while (this.isKw('and')) {
      this.i++;
      xs.push(this.not());
    }
    return xs.length === 1 ? xs[0]! : { and: xs };
  }

  private not(): Expr {
    if (this.isKw('not')) {
      this.i++;
      return { not: this.not() };
    }
    if (this.isOp('(')) {
      this.i++;
      const e = this.or();
      this.op(')');
      return e;
    }
    return this.comparison();
  }

  private literal(): Literal | undefined {
    const t = this.peek();
    if (t.k === 'str' || t.k === 'num') return (this.i++, t.v);
    if (this.isKw('true')) return (this.i++, true);
    if (this.isKw('false')) return (this.i++, false);
    if (this.isKw('null')) return (this.i++, null);
    return undefined;
  }

  private operand(): Operand {
    const lit = this.literal();
    return lit !== undefined ? { lit } : { path: this.path() };
  }

  private comparison(): Expr {
    const a = this.operand();
    if (this.isKw('is')) {
      this.i++;
      const negate = this.isKw('not') ? (this.i++, true) : false;
      this.kw('null');
      return { isNull: a, negate };
    }
    const negate = this.isKw('not') ? (this.i++, true) : false;
    if (this.isKw('like')) {
      this.i++;
      const t = this.next();
      if (t.k !== 'str') return (this.i--, this.fail('a string literal'));
      return { like: a, pattern: t.v, negate };
    }
    if (this.isKw('in')) {
      this.i++;
      this.op('(');
      const values: Literal[] = [];
      do {
        if (values.length) this.i++;
        const v = this.literal();
        if (v === undefined) this.fail('a literal');
        values.push(v);
      } while (this.isOp(','));
      this.op(')');
      return { in: a, values, negate };
    }
    if (negate) this.fail('LIKE or IN');
    const t = this.peek();
    if (t.k !== 'op' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.v))
      this.fail("'=', '<>', '<', '<=', '>', '>=', LIKE, IN, IS");
    this.i++;
    const cmp = (t.v === '<>' ? '!=' : t.v) as '=' | '!=' | '<' | '<=' | '>' | '>=';
    return { cmp, a, b: this.operand() };
  }
}

/** Parses one statement of the subset; a SqlError says where and why it is not one. */
export function parseSelect(sql: string): Select {
  return new Parser(tokenize(sql)).select();
}
