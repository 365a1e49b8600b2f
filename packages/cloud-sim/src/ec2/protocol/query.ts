// Reading the EC2 query protocol's flat form body (`GroupId.1=sg-1&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1`)
// back into lists and filters, the way @aws-sdk/client-ec2 writes them (ec2QueryName, 1-based indexes,
// lists flattened, empty lists omitted).

import type { Filter, Tag } from '../model/filters.js';

export type Form = Record<string, string>;

/** `Prefix.1`, `Prefix.2`, … as a list (stops at the first gap, as EC2 does). */
export function list(p: Form, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; p[`${prefix}.${i}`] !== undefined; i++) out.push(p[`${prefix}.${i}`]!);
  return out;
}

/** `Prefix.N.Field…` as one sub-form per N (for structured list members: filters, tags, permissions). */
export function structs(p: Form, prefix: string): Form[] {
  const out: Form[] = [];
  for (let i = 1; ; i++) {
    const head = `${prefix}.${i}.`;
    const sub: Form = {};
    for (const [k, v] of Object.entries(p)) if (k.startsWith(head)) sub[k.slice(head.length)] = v;
    if (Object.keys(sub).length === 0) return out;
    out.push(sub);
  }
}

export function filters(p: Form): Filter[] {
  return structs(p, 'Filter').map((f) => ({ name: f.Name ?? '', values: list(f, 'Value') }));
}

/** `Tag.N.Key` / `Tag.N.Value` in a form or sub-form. */
export function tags(p: Form, prefix = 'Tag'): Tag[] {
  return structs(p, prefix).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/** The tags a TagSpecification list puts on resources of one type (tags at creation). */
export function tagsFor(p: Form, resourceType: string): Tag[] {
  return structs(p, 'TagSpecification')
    .filter((s) => s.ResourceType === resourceType)
    .flatMap((s) => tags(s));
}
