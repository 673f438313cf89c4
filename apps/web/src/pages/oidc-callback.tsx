import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { Notice, useText } from '../components/forms.js';
import { Loading, Page } from '../components/page.js';
import { useI18n } from '../i18n/i18n.js';
import { problemMessage, type Message } from '../problems.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { safeNext } from './login.js';
import { providerReturn } from './oidc-sign-in.js';

/**
 * Where the identity provider sends people back with a code. The code leaves the address and the
 * history at once; it is exchanged only if its state is the one this tab sent, with the tab's PKCE
 * verifier and nonce, and the server then sets the session cookie.
 */
export function OidcCallbackPage() {
  const { t } = useI18n();
  const text = useText();
  const { signInWithProvider } = useSession();
  const [problem, setProblem] = useState<Message | undefined>();

  useEffect(() => {
    const answer = providerReturn(new URLSearchParams(location.search));
    history.replaceState(null, '', location.pathname);
    if (answer === 'refused') return setProblem({ key: 'oidc.refused' });
    if (answer === 'no-code') return setProblem({ key: 'oidc.noToken' });
    if (answer === 'not-ours') return setProblem({ key: 'oidc.stateMismatch' });
    signInWithProvider(answer.back).then(
      () => navigate(safeNext(answer.next), { replace: true }),
      (error: unknown) =>
        setProblem(
          error instanceof ApiError && error.status !== 0
            ? problemMessage(error.problem)
            : { key: 'problem.network' },
        ),
    );
  }, [signInWithProvider]);

  return (
    <div class="narrow">
      <Page title={t('oidc.title')}>
        {problem ? (
          <Notice tone="error">
            <p>{text(problem)}</p>
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
