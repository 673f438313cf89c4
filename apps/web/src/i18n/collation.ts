const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/**
 * “CPAS de Ciney”, “CPAS d’Anhée”: a directory files them under the commune, so the article is
 * left out of the comparison (the apostrophe would otherwise put every “d’” before every “de”).
 */
const ARTICLE = /(^|\s)(?:de la |de l['’]|du |des |de |d['’])/gi;

const sortKey = (name: string) => name.replace(ARTICLE, '$1');

/** Two organisation names in the order a French directory lists them. */
export function compareNames(a: string, b: string): number {
  return collator.compare(sortKey(a), sortKey(b)) || collator.compare(a, b);
}

/** Things with a name, in the order a French directory lists them. */
export function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareNames(a.name, b.name));
}
