import { useState } from 'preact/hooks';
import { DPO_ERASURE_REASONS, MAX_LENGTH, type Erasure, type SubjectMatch } from '@relais/wire';
import { api, ApiError } from '../api/client.js';
import { Downloads } from '../components/downloads.js';
import { ErrorSummary, Notice, SelectField, SubmitButton, TextField } from '../components/forms.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { Link } from '../router.js';
import { DpoLayout } from './dpo-layout.js';

type SearchBy = 'niss' | 'name';

/** What the API checks too: 11 digits once dots and dashes go, or a first and a last name. */
export function searchError(by: SearchBy, value: string): Message | undefined {
  if (by === 'niss') {
    return value.replace(/\D/g, '').length === 11 && value.length <= 20
      ? undefined
      : { key: 'dpo.needsNiss' };
  }
  if (value.length > 2 * MAX_LENGTH.personName + 1)
    return { key: 'validation.tooLong', params: { n: 2 * MAX_LENGTH.personName + 1 } };
  return value.trim().split(/[\s\-'’.]+/).length >= 2 ? undefined : { key: 'dpo.needsFullName' };
}

/** The DPO finds a person by NISS or name, then their cases, who read them, and their report. */
export function PeoplePage() {
  const { t } = useI18n();
  const [by, setBy] = useState<SearchBy>('niss');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<readonly SubjectMatch[] | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const invalid = searchError(by, value);
    setGeneral([]);
    if (invalid) {
      setErrors({ [by]: invalid });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await api<{ items: SubjectMatch[] }>(
        'GET',
        `/dpo/subjects?${by}=${encodeURIComponent(value)}`,
      );
      setFound(answer.items);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const atFields = fieldErrorsOf(error.problem);
      if (Object.keys(atFields).length > 0) setErrors(atFields);
      else setGeneral([problemMessage(error.problem)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <DpoLayout section="dpo.people" intro={t('dpo.people.intro')}>
      <form class="form" noValidate onSubmit={(event) => void submit(event)}>
        <ErrorSummary
          errors={errors}
          labels={{ niss: t('dpo.niss'), name: t('dpo.name') }}
          general={general}
        />
        <fieldset class="scope">
          <legend>{t('dpo.searchBy')}</legend>
          {(['niss', 'name'] as const).map((choice) => (
            <span class="radio" key={choice}>
              <input
                type="radio"
                name="searchBy"
                id={`search-by-${choice}`}
                value={choice}
                checked={by === choice}
                onChange={() => {
                  setBy(choice);
                  setValue('');
                  setErrors({});
                }}
              />
              <label for={`search-by-${choice}`}>{t(`dpo.searchBy.${choice}`)}</label>
            </span>
          ))}
        </fieldset>
        {by === 'niss' ? (
          <TextField
            name="niss"
            label={t('dpo.niss')}
            hint={t('dpo.nissHint')}
            value={value}
            onInput={setValue}
            error={errors.niss}
            inputMode="numeric"
            maxLength={20}
          />
        ) : (
          <TextField
            name="name"
            label={t('dpo.name')}
            hint={t('dpo.nameHint')}
            value={value}
            onInput={setValue}
            error={errors.name}
            maxLength={2 * MAX_LENGTH.personName + 1}
          />
        )}
        <div class="actions">
          <SubmitButton busy={busy} label={t('dpo.search')} busyLabel={t('dpo.searching')} />
        </div>
      </form>
      {found && <Found items={found} />}
    </DpoLayout>
  );
}

function Found({ items }: { items: readonly SubjectMatch[] }) {
  const i18n = useI18n();
  return (
    <section aria-labelledby="found-title">
      <h2 id="found-title">
        {items.length === 0 ? i18n.t('dpo.foundNone') : i18n.count('dpo.found', items.length)}
      </h2>
      {items.map((item, i) => (
        <Person key={item.subjectId} item={item} n={i + 1} />
      ))}
    </section>
  );
}

function Person({ item, n }: { item: SubjectMatch; n: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [erased, setErased] = useState<Erasure | undefined>();
  const headingId = `person-${item.subjectId}`;
  return (
    <article class="member" aria-labelledby={headingId} data-subject-id={item.subjectId}>
      <h3 id={headingId}>
        {t('dpo.person', { n })}
        {erased && <span class="badge badge-erased">{t('dpo.erasedBadge')}</span>}
      </h3>
      {erased && (
        <Notice tone="success" focus>
          {t('dpo.erased', {
            date: i18n.timestamp(erased.erasedAt),
            reason: i18n.label('erasureReason', erased.reason),
          })}
        </Notice>
      )}
      {item.cases.length === 0 ? (
        <p>{t('dpo.noCase')}</p>
      ) : (
        <table class="data">
          <caption class="visually-hidden">{t('dpo.person', { n })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dpo.case')}</th>
              <th scope="col">{t('dpo.openedOn')}</th>
              <th scope="col">{t('dpo.status')}</th>
              <th scope="col">{t('dpo.role')}</th>
            </tr>
          </thead>
          <tbody>
            {item.cases.map((c) => (
              <tr key={c.caseId} data-case-id={c.caseId}>
                <th scope="row">{c.reference}</th>
                <td>{i18n.date(c.openedOn)}</td>
                <td>{t(`dpo.status.${c.status}`)}</td>
                <td>{i18n.label('role', c.role)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Downloads
        done="dpo.downloaded"
        choices={(['pdf', 'json'] as const).map((format) => ({
          id: format,
          label: t(format === 'pdf' ? 'dpo.reportPdf' : 'dpo.reportJson'),
          path: `/dpo/subjects/${item.subjectId}/report?format=${format}`,
          fallbackName: `relais-rapport.${format}`,
        }))}
      >
        <Link class="button" href={`/dpo/log?subject=${item.subjectId}`}>
          {t('dpo.accesses')}
        </Link>
      </Downloads>
      {!erased && <EraseForm subjectId={item.subjectId} n={n} onErased={setErased} />}
    </article>
  );
}

type Step = 'closed' | 'reason' | 'confirm';

/**
 * Erasure in two steps: a reason, required, then a confirmation that says what is destroyed and
 * what stays, since nothing brings the person's data back.
 */
function EraseForm({
  subjectId,
  n,
  onErased,
}: {
  subjectId: string;
  n: number;
  onErased: (erasure: Erasure) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [step, setStep] = useState<Step>('closed');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);
  const field = `reason-${n}`;

  if (step === 'closed')
    return (
      <p class="actions">
        <button type="button" class="danger" onClick={() => setStep('reason')}>
          {t('dpo.erase')}
        </button>
      </p>
    );

  const toConfirm = (event: Event) => {
    event.preventDefault();
    if (!(DPO_ERASURE_REASONS as readonly string[]).includes(reason)) {
      setErrors({ [field]: { key: 'dpo.erase.needsReason' } });
      return;
    }
    setErrors({});
    setStep('confirm');
  };

  const erase = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setGeneral([]);
    try {
      onErased(await api<Erasure>('POST', '/erasures', { body: { subjectId, reason } }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const atFields = fieldErrorsOf(error.problem);
      if (atFields.reason) {
        setErrors({ [field]: atFields.reason });
        setStep('reason');
      } else setGeneral([problemMessage(error.problem)]);
    } finally {
      setBusy(false);
    }
  };

  const titleId = `erase-${n}`;
  return (
    <section class="erase" aria-labelledby={titleId}>
      <h4 id={titleId}>
        {step === 'reason' ? t('dpo.erase.title', { n }) : t('dpo.erase.confirmTitle')}
      </h4>
      {step === 'reason' ? (
        <form class="form" noValidate onSubmit={toConfirm}>
          <ErrorSummary errors={errors} labels={{ [field]: t('dpo.erase.reason') }} />
          <SelectField
            name={field}
            label={t('dpo.erase.reason')}
            hint={t('dpo.erase.reasonHint')}
            value={reason}
            onChange={setReason}
            error={errors[field]}
            placeholder
            options={DPO_ERASURE_REASONS.map((r) => ({
              value: r,
              label: i18n.label('erasureReason', r),
            }))}
          />
          <div class="actions">
            <button type="submit" class="primary">
              {t('dpo.erase.continue')}
            </button>
            <button type="button" onClick={() => setStep('closed')}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <form class="form" noValidate onSubmit={(event) => void erase(event)}>
          <ErrorSummary errors={{}} labels={{}} general={general} />
          <p>{t('dpo.erase.destroyed')}</p>
          <p>{t('dpo.erase.kept')}</p>
          <p>{t('dpo.erase.givenReason', { reason: i18n.label('erasureReason', reason) })}</p>
          <div class="actions">
            <SubmitButton
              busy={busy}
              class="primary danger"
              label={t('dpo.erase.confirm')}
              busyLabel={t('dpo.erase.erasing')}
            />
            <button type="button" onClick={() => setStep('reason')}>
              {t('dpo.erase.back')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
