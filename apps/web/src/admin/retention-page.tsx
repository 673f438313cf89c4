import { useState } from 'preact/hooks';
import { RETENTION_YEARS, type RetentionPolicy } from '@relais/wire';
import { api, ApiError } from '../api/client.js';
import { byId, reference } from '../api/reference.js';
import { ErrorSummary, Notice, SelectField, SubmitButton, TextField } from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { AdminLayout } from './admin-layout.js';

const BOUNDS = { min: RETENTION_YEARS.min, max: RETENTION_YEARS.max };

/** Whole years within the bounds the API holds to, or the message at the field. */
export function yearsError(typed: string): Message | undefined {
  const value = typed.trim();
  const years = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  return years >= BOUNDS.min && years <= BOUNDS.max
    ? undefined
    : { key: 'admin.retention.needsYears', params: BOUNDS };
}

/** An organisation's retention period, as its administrator sees and sets it. */
export function RetentionPage() {
  const { t } = useI18n();
  const me = useMe();
  const [organisationId, setOrganisationId] = useState(me.organisationId);
  const loaded = useLoad(() => Promise.all([reference.organisations(), reference.staff()]), []);
  return (
    <AdminLayout section="retention">
      <p>{t('admin.retention.intro')}</p>
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <>
          <SelectField
            name="retentionOrganisation"
            label={t('admin.retentionOf')}
            value={organisationId}
            onChange={setOrganisationId}
            options={[...loaded.data[0]]
              .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
              .map((o) => ({ value: o.id, label: o.name }))}
            filter
          />
          <RetentionOf
            key={organisationId}
            organisationId={organisationId}
            staff={byId(loaded.data[1])}
          />
        </>
      )}
    </AdminLayout>
  );
}

function RetentionOf({
  organisationId,
  staff,
}: {
  organisationId: string;
  staff: ReadonlyMap<string, { name: string }>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const path = `/organisations/${encodeURIComponent(organisationId)}/retention`;
  const [version, setVersion] = useState(0);
  const policy = useLoad(() => api<RetentionPolicy>('GET', path), [path, version]);
  const [years, setYears] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [saved, setSaved] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const invalid = yearsError(years);
    setGeneral([]);
    setSaved(undefined);
    if (invalid) {
      setErrors({ years: invalid });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await api<RetentionPolicy>('PUT', path, {
        body: { years: Number(years.trim()) },
      });
      setSaved(answer.years);
      setYears('');
      setVersion((v) => v + 1);
    } catch (error) {
      if (!(error instanceof ApiError)) return setGeneral([{ key: 'problem.network' }]);
      const atFields = fieldErrorsOf(error.problem);
      if (atFields.years) setErrors({ years: yearsError('') ?? atFields.years });
      else setGeneral([problemMessage(error.problem)]);
    } finally {
      setBusy(false);
    }
  };

  const current = policy.data;
  return (
    <section aria-labelledby="retention-current">
      {policy.error ? (
        <LoadError error={policy.error} retry={policy.reload} />
      ) : !current ? (
        <Loading />
      ) : (
        <>
          <h2 id="retention-current">
            {t('admin.retention.current', { years: i18n.count('count.years', current.years) })}
          </h2>
          <p>
            {current.isDefault || current.setAt === null
              ? t('admin.retention.default')
              : t('admin.retention.setBy', {
                  date: i18n.timestamp(current.setAt),
                  name: (current.setBy && staff.get(current.setBy)?.name) ?? t('app.none'),
                })}
          </p>
        </>
      )}
      {saved !== undefined && (
        <Notice tone="success">
          {t('admin.retention.saved', { years: i18n.count('count.years', saved) })}
        </Notice>
      )}
      <form class="form" noValidate onSubmit={(event) => void save(event)}>
        <ErrorSummary
          errors={errors}
          labels={{ years: t('admin.retention.years') }}
          general={general}
        />
        <TextField
          name="years"
          label={t('admin.retention.years')}
          hint={t('admin.retention.yearsHint', BOUNDS)}
          value={years}
          onInput={setYears}
          error={errors.years}
          inputMode="numeric"
          maxLength={3}
        />
        <div class="actions">
          <SubmitButton
            busy={busy}
            label={t('admin.retention.save')}
            busyLabel={t('admin.retention.saving')}
          />
        </div>
      </form>
    </section>
  );
}
