import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { reference } from '../api/reference.js';
import { MAX_LENGTH, type DeliveryRecord, type Webhook, type WebhookSet } from '@relais/wire';
import {
  ErrorSummary,
  Notice,
  SelectField,
  SubmitButton,
  TextField,
  useText,
} from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { tooLong } from '../validation.js';
import { may } from '../workspaces.js';
import { AdminLayout } from './admin-layout.js';
import { byName } from '../i18n/collation.js';

/** An organisation's webhook: its address, a new one (the secret shown once), its deliveries. */
export function WebhookPage() {
  const { t } = useI18n();
  const me = useMe();
  const [organisationId, setOrganisationId] = useState(me.organisationId);
  const organisations = useLoad(() => reference.organisations(), []);
  const choices = may.manageAnyWebhook(me.roles)
    ? byName(organisations.data ?? [])
    : (organisations.data ?? []).filter((o) => o.id === me.organisationId);
  return (
    <AdminLayout section="webhook">
      {organisations.error ? (
        <LoadError error={organisations.error} retry={organisations.reload} />
      ) : !organisations.data ? (
        <Loading />
      ) : (
        <>
          <SelectField
            name="webhookOrganisation"
            label={t('admin.webhookOf')}
            value={organisationId}
            onChange={setOrganisationId}
            options={choices.map((o) => ({ value: o.id, label: o.name }))}
            filter
          />
          <WebhookOf key={organisationId} organisationId={organisationId} />
        </>
      )}
    </AdminLayout>
  );
}

function WebhookOf({ organisationId }: { organisationId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = useText();
  const path = `/organisations/${encodeURIComponent(organisationId)}/webhook`;
  const [version, setVersion] = useState(0);
  const webhook = useLoad(async () => {
    try {
      return await api<Webhook>('GET', path);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }, [path, version]);
  const deliveries = useLoad(
    () => api<DeliveryRecord[]>('GET', `${path}/deliveries`),
    [path, version],
  );
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [outcome, setOutcome] = useState<
    { tone: 'success' | 'error'; message: Message } | undefined
  >();
  const [busy, setBusy] = useState(false);
  const fail = (error: unknown) =>
    setOutcome({
      tone: 'error',
      message:
        error instanceof ApiError ? problemMessage(error.problem) : { key: 'problem.network' },
    });

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, Message> = {};
    const urlProblem = url.trim()
      ? tooLong(url.trim(), MAX_LENGTH.url)
      : { key: 'validation.required' as const };
    if (urlProblem) found.url = urlProblem;
    const secretProblem =
      secret && secret.length < 32
        ? { key: 'validation.minLength' as const, params: { n: 32 } }
        : tooLong(secret, MAX_LENGTH.secret);
    if (secretProblem) found.secret = secretProblem;
    setErrors(found);
    setOutcome(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await api<WebhookSet>('PUT', path, {
        body: { url: url.trim(), ...(secret ? { secret } : {}) },
      });
      setOutcome({
        tone: 'success',
        message: { key: 'admin.webhookSaved', params: { secret: saved.secret } },
      });
      setUrl('');
      setSecret('');
      setVersion((v) => v + 1);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length)
        setErrors(fieldErrorsOf(error.problem));
      else fail(error);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setOutcome(undefined);
    try {
      await api('DELETE', path);
      setOutcome({ tone: 'success', message: { key: 'admin.webhookRemoved' } });
      setVersion((v) => v + 1);
    } catch (error) {
      fail(error);
    }
  };
  const retry = async (delivery: DeliveryRecord) => {
    setOutcome(undefined);
    try {
      await api('POST', `${path}/deliveries/${encodeURIComponent(delivery.id)}/retry`);
      setOutcome({ tone: 'success', message: { key: 'admin.retried' } });
      setVersion((v) => v + 1);
    } catch (error) {
      fail(error);
    }
  };

  return (
    <>
      {outcome && (
        <Notice tone={outcome.tone} focus>
          <span class="secret">{text(outcome.message)}</span>
        </Notice>
      )}
      {webhook.error ? (
        <LoadError error={webhook.error} retry={webhook.reload} />
      ) : webhook.data === undefined ? (
        <Loading />
      ) : webhook.data === null ? (
        <p>{t('admin.webhookNone')}</p>
      ) : (
        <p>
          <code>{webhook.data.url}</code> —{' '}
          {t('admin.webhookSetBy', { date: i18n.timestamp(webhook.data.updatedAt) })}{' '}
          <button type="button" onClick={() => void remove()}>
            {t('admin.webhookRemove')}
          </button>
        </p>
      )}
      <ErrorSummary
        errors={errors}
        labels={{ url: t('admin.webhookUrl'), secret: t('admin.webhookSecret') }}
      />
      <form class="form" noValidate onSubmit={(event) => void save(event)}>
        <div class="row">
          <TextField
            name="url"
            type="url"
            label={t('admin.webhookUrl')}
            value={url}
            onInput={setUrl}
            maxLength={MAX_LENGTH.url}
            error={errors.url}
          />
          <TextField
            name="secret"
            type="password"
            autoComplete="new-password"
            label={t('admin.webhookSecret')}
            hint={t('admin.webhookSecretHint')}
            value={secret}
            onInput={setSecret}
            maxLength={MAX_LENGTH.secret}
            error={errors.secret}
            optional
          />
        </div>
        <SubmitButton
          busy={busy}
          label={t('admin.webhookSave')}
          busyLabel={t('event.submitting')}
        />
      </form>
      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">{t('admin.deliveries')}</h2>
        {deliveries.error ? (
          <LoadError error={deliveries.error} retry={deliveries.reload} />
        ) : !deliveries.data ? (
          <Loading />
        ) : deliveries.data.length === 0 ? (
          <p>{t('admin.deliveriesEmpty')}</p>
        ) : (
          <table class="data">
            <caption class="visually-hidden">{t('admin.deliveries')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.deliveryStatus')}</th>
                <th scope="col">{t('admin.attempts')}</th>
                <th scope="col">{t('admin.lastError')}</th>
                <th scope="col">{t('dashboard.occurredOn')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('admin.retry')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{i18n.label('deliveryStatus', d.status)}</th>
                  <td>{d.attempts}</td>
                  <td>{d.lastError ?? t('app.none')}</td>
                  <td>{i18n.timestamp(d.createdAt)}</td>
                  <td>
                    {d.status === 'dead' && (
                      <button type="button" onClick={() => void retry(d)}>
                        {t('admin.retry')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
