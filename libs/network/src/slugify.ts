/**
 * The form used in ids, URLs and demo accounts: lower case, accents removed, every run of other
 * characters (spaces, apostrophes, hyphens) collapsed to one hyphen: 'La Bruyère' -> 'la-bruyere'.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
