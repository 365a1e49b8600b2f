// Lookup for the small named lists responders type into the palette (phases, roles).

export interface Named<Id extends string> {
  readonly id: Id;
  readonly name: string;
}

/** Accepts an id ("evidence"), a name ("Evidence collection") or a unique prefix of either ("erad"). */
export function parseNamed<Id extends string>(items: readonly Named<Id>[], text: string): Id | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return undefined;
  const exact = items.find((x) => x.id === t || x.name.toLowerCase() === t);
  if (exact) return exact.id;
  const hits = items.filter((x) => x.id.startsWith(t) || x.name.toLowerCase().startsWith(t));
  return hits.length === 1 ? hits[0]!.id : undefined;
}
