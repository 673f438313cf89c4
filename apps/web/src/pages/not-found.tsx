import { Page } from '../components/page.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <p>
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}

/** A workspace the caller's roles do not open: said plainly, never shown half-empty. */
export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Page title={t('problem.forbidden')}>
      <p>
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}

export function NoWorkspacePage() {
  const { t } = useI18n();
  return (
    <Page title={t('home.title')}>
      <p>{t('home.noWorkspace')}</p>
    </Page>
  );
}
