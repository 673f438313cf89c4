export type Params = Readonly<Record<string, string | number>>;

/**
 * `{name}` takes the parameter; `{n, plural, one {# jour} other {# jours}}` takes the variant the
 * language's plural rules choose for the number `n`, with `#` standing for it as the locale writes it.
 */
const PLURAL = /\{(\w+), plural,((?:\s*\w+\s*\{[^{}]*\})+)\s*\}/g;
const VARIANT = /(\w+)\s*\{([^{}]*)\}/g;

export function interpolate(
  template: string,
  params: Params | undefined,
  locale = 'fr-BE',
): string {
  if (!params) return template;
  const withPlurals = template.replace(PLURAL, (whole, name: string, variants: string) => {
    const value = Number(params[name]);
    if (!(name in params) || Number.isNaN(value)) return whole;
    const forms = new Map([...variants.matchAll(VARIANT)].map((m) => [m[1], m[2] ?? '']));
    const form = forms.get(new Intl.PluralRules(locale).select(value)) ?? forms.get('other') ?? '';
    const shown = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
    return form.replaceAll('#', shown);
  });
  return withPlurals.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
