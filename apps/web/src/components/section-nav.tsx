import { Link, useLocation } from '../router.js';

/** A workspace's sections, as a second navigation; the one shown is the current page. */
export function SectionNav({
  label,
  sections,
}: {
  label: string;
  sections: readonly { readonly href: string; readonly label: string }[];
}) {
  const { path } = useLocation();
  return (
    <nav class="subnav" aria-label={label}>
      <ul>
        {sections.map((s) => (
          <li key={s.href}>
            <Link href={s.href} aria-current={path === s.href ? 'page' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
