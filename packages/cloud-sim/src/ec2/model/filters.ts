// EC2's filter semantics (EC2 API reference, "Filter"): AND across filters, OR across one filter's
// values, `*` and `?` wildcards, `tag:K` / `tag-key` / `tag-value` over the resource's tags, and an
// unknown filter name refused rather than ignored.

export interface Filter {
  name: string;
  values: string[];
}

export interface Tag {
  key: string;
  value: string;
}

/** The EC2 filter wildcard: `*` any run, `?` one character. */
function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

/**
 * Whether a resource passes every filter (AND across filters, OR across one filter's values).
 * `fields` gives a resource's value(s) for a filter name; tag filters (`tag:K`, `tag-key`) come from `tagList`.
 * An unknown filter name is an error on AWS ("The filter 'x' is invalid"): returned as such.
 */
export function matches(
  fs: Filter[],
  fields: (name: string) => string[] | undefined,
  tagList: Tag[],
): boolean | { invalid: string } {
  for (const f of fs) {
    let have: string[] | undefined;
    if (f.name.startsWith('tag:')) have = tagList.filter((t) => t.key === f.name.slice(4)).map((t) => t.value);
    else if (f.name === 'tag-key') have = tagList.map((t) => t.key);
    else if (f.name === 'tag-value') have = tagList.map((t) => t.value);
    else have = fields(f.name);
    if (have === undefined) return { invalid: f.name };
    if (!have.some((h) => f.values.some((v) => globMatch(v, h)))) return false;
  }
  return true;
}
