import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { MAX_LENGTH, type SignInOptions } from '@relais/wire';
import { ErrorSummary, Notice, SubmitButton, TextField, useText } from '../components/forms.js';
import { Page } from '../components/page.js';
import { useI18n } from '../i18n/i18n.js';
import { problemMessage, type FieldErrors, type Message } from '../problems.js';
import { useSession, type SignOutReason } from '../session.js';
import { tooLong } from '../validation.js';
import { startProviderSignIn } from './oidc-sign-in.js';

export { OIDC_CALLBACK_PATH } from './oidc-sign-in.js';

/** Until the server says otherwise: local accounts, no provider. */
const LOCAL_ONLY: SignInOptions = { localAccounts: true, provider: null };

/**
 * The organisation's identity provider when Relais is registered with it (`OIDC_CLIENT_ID`), and
 * local accounts when they are on; either comes back to the page asked for.
 */
export function LoginPage({ reason }: { reason?: SignOutReason | undefined }) {
  const { t } = useI18n();
  const text = useText();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Message | undefined>();
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SignInOptions>(LOCAL_ONLY);
  useEffect(() => {
    api<SignInOptions>('GET', '/auth/options').then(setOptions, () => undefined);
  }, []);
  const provider = options.provider;
  const next = safeNext(`${location.pathname}${location.search}`.replace(/^\/login.*$/, '/'));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const missing: Record<string, Message> = {};
    const emailProblem = email.trim()
      ? tooLong(email.trim(), MAX_LENGTH.email)
      : { key: 'validation.required' as const };
    if (emailProblem) missing.email = emailProblem;
    const passwordProblem = password
      ? tooLong(password, MAX_LENGTH.password)
      : { key: 'validation.required' as const };
    if (passwordProblem) missing.password = passwordProblem;
    setErrors(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      await signIn(email.trim(), password); // the routes then show the page asked for
    } catch (error) {
      setPassword('');
      if (error instanceof ApiError && error.status === 404 && !error.problem.code)
        setFailure({ key: 'login.localOff' });
      else
        setFailure(
          error instanceof ApiError ? problemMessage(error.problem) : { key: 'problem.network' },
        );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <Page title={t('login.title')} intro={options.localAccounts ? t('login.intro') : undefined}>
        {reason === 'expired' && <Notice tone="warning">{t('login.expired')}</Notice>}
        {reason === 'signed-out' && <Notice tone="info">{t('login.signedOut')}</Notice>}
        {failure && (
          <Notice tone="error" focus>
            {text(failure)}
          </Notice>
        )}
        {provider && (
          <section aria-labelledby="oidc-title">
            <h2 id="oidc-title">{t('login.oidcTitle')}</h2>
            <p>{t('login.oidcText')}</p>
            <button
              type="button"
              class="button primary"
              onClick={() =>
                void startProviderSignIn(provider, next).catch(() =>
                  setFailure({ key: 'problem.network' }),
                )
              }
            >
              {t('login.provider')}
            </button>
          </section>
        )}
        {options.localAccounts && (
          <>
            <ErrorSummary
              errors={errors}
              labels={{ email: t('login.email'), password: t('login.password') }}
            />
            <form
              method="post"
              noValidate
              onSubmit={(event) => void submit(event)}
              class={provider ? 'form aside' : 'form'}
            >
              <TextField
                name="email"
                label={t('login.email')}
                type="email"
                autoComplete="username"
                value={email}
                onInput={setEmail}
                maxLength={MAX_LENGTH.email}
                error={errors.email}
              />
              <TextField
                name="password"
                label={t('login.password')}
                type="password"
                autoComplete="current-password"
                value={password}
                onInput={setPassword}
                maxLength={MAX_LENGTH.password}
                error={errors.password}
              />
              <SubmitButton
                busy={busy}
                label={t('login.submit')}
                busyLabel={t('login.signingIn')}
              />
            </form>
          </>
        )}
      </Page>
    </div>
  );
}

/** Only a path of this app: never an address elsewhere (an open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
