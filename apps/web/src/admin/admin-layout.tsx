import type { ComponentChildren } from 'preact';
import { Page } from '../components/page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, useLocation } from '../router.js';
import { useMe } from '../session.js';
import { adminSectionsFor, type AdminSection } from '../workspaces.js';

/** The administration workspace: its sections as a second navigation, then the section. */
export function AdminLayout({
  section,
  children,
}: {
  section: AdminSection;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const me = useMe();
  const { path } = useLocation();
  return (
    <Page title={`${t('admin.title')} — ${t(`admin.${section}`)}`}>
      <nav class="subnav" aria-label={t('admin.sections')}>
        <ul>
          {adminSectionsFor(me.roles).map((s) => {
            const href = `/admin/${s}`;
            return (
              <li key={s}>
                <Link href={href} aria-current={path === href ? 'page' : undefined}>
                  {t(`admin.${s}`)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {children}
    </Page>
  );
}
