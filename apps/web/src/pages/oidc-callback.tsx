import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { Notice } from '../components/forms.js';
import { Loading, Page } from '../components/page.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/fr.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { tokenFromFragment } from './oidc-token.js';

/**
 * Where an OpenID Connect provider sends people back with a token in the fragment. The token is
 * taken out of the address at once (it stays out of the history), checked with `GET /me`, and
 * kept in sessionStorage like a local one.
 */
export function OidcCallbackPage() {
  const { t } = useI18n();
  const { acceptToken } = useSession();
  const [problem, setProblem] = useState<MessageKey | undefined>();

  useEffect(() => {
    const token = tokenFromFragment(location.hash, Date.now());
    history.replaceState(null, '', location.pathname);
    if (!token) {
      setProblem('oidc.noToken');
      return;
    }
    acceptToken(token).then(
      () => navigate('/', { replace: true }),
      (error: unknown) =>
        setProblem(
          error instanceof ApiError && error.status !== 0 ? 'oidc.refused' : 'problem.network',
        ),
    );
  }, [acceptToken]);

  return (
    <div class="narrow">
      <Page title={t('oidc.title')}>
        {problem ? (
          <Notice tone="error">
            <p>{t(problem)}</p>
            <p>
              <Link href="/login">{t('oidc.toLogin')}</Link>
            </p>
          </Notice>
        ) : (
          <Loading />
        )}
      </Page>
    </div>
  );
}
