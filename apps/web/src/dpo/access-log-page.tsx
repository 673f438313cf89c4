import { useState } from 'preact/hooks';
import { MAX_LENGTH, type AccessLogEntry } from '@relais/wire';
import { api, ApiError } from '../api/client.js';
import { byId, reference } from '../api/reference.js';
import { Downloads } from '../components/downloads.js';
import {
  DateField,
  ErrorSummary,
  SelectField,
  SubmitButton,
  TextField,
} from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { formatIsoDate, parseTypedDate } from '../i18n/dates.js';
import { fieldErrorsOf, type FieldErrors, type Message } from '../problems.js';
import { navigate, useLocation } from '../router.js';
import { DpoLayout } from './dpo-layout.js';
import { compareNames } from '../i18n/collation.js';

/** The filters of a search, as the API and the page's address name them. */
const FILTERS = ['subject', 'staff', 'organisation', 'case', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Readonly<Record<Filter, string>>;

function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filters;
}

function queryOf(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const f of FILTERS) if (filters[f]) params.set(f, filters[f]);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** The typed form -> the filters the API takes (ISO days), or the errors at their fields. */
export function checkedFilters(typed: Filters): { filters: Filters } | { errors: FieldErrors } {
  const errors: Record<string, Message> = {};
  const days: Partial<Record<'from' | 'to', string>> = {};
  for (const field of ['from', 'to'] as const) {
    const value = typed[field].trim();
    if (value === '') continue;
    const iso = parseTypedDate(value);
    if (iso === undefined) errors[field] = { key: 'validation.date' };
    else days[field] = iso;
  }
  if (days.from && days.to && days.from > days.to) errors.from = { key: 'dpo.log.fromAfterTo' };
  for (const field of ['subject', 'case'] as const) {
    if (typed[field].trim().length > MAX_LENGTH.id)
      errors[field] = { key: 'validation.tooLong', params: { n: MAX_LENGTH.id } };
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    filters: {
      ...typed,
      subject: typed.subject.trim(),
      case: typed.case.trim(),
      from: days.from ?? '',
      to: days.to ?? '',
    },
  };
}

/** The DPO searches who read what, when and why, and exports what they found. */
export function AccessLogPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const applied = filtersOf(query);
  const [typed, setTyped] = useState<Filters>({
    ...applied,
    from: applied.from ? formatIsoDate(applied.from) : '',
    to: applied.to ? formatIsoDate(applied.to) : '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const search = queryOf(applied);
  const loaded = useLoad(async () => {
    const [log, organisations, staff] = await Promise.all([
      api<{ items: AccessLogEntry[] }>('GET', `/access-log?${queryOf(applied, { limit: '500' })}`),
      reference.organisations(),
      reference.staff(),
    ]);
    return { items: log.items, organisations: byId(organisations), staff: byId(staff), search };
  }, [search]);
  const apiErrors = loaded.error instanceof ApiError ? fieldErrorsOf(loaded.error.problem) : {};
  const shown = Object.keys(errors).length > 0 ? errors : apiErrors;
  const set = (field: Filter) => (value: string) => setTyped({ ...typed, [field]: value });
  const labels: Record<Filter, string> = {
    subject: t('dpo.log.subject'),
    staff: t('dpo.log.staff'),
    organisation: t('dpo.log.organisation'),
    case: t('dpo.log.case'),
    from: t('dpo.log.from'),
    to: t('dpo.log.to'),
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const checked = checkedFilters(typed);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const next = queryOf(checked.filters);
    navigate(next ? `/dpo/log?${next}` : '/dpo/log', { replace: true });
  };

  const data = loaded.data;
  return (
    <DpoLayout section="dpo.log" intro={t('dpo.log.intro')}>
      <form class="form" noValidate onSubmit={submit} aria-label={t('dpo.log.filters')}>
        <ErrorSummary errors={shown} labels={labels} />
        <div class="row">
          <TextField
            name="subject"
            label={labels.subject}
            value={typed.subject}
            onInput={set('subject')}
            error={shown.subject}
            maxLength={MAX_LENGTH.id}
            filter
          />
          <TextField
            name="case"
            label={labels.case}
            value={typed.case}
            onInput={set('case')}
            error={shown.case}
            maxLength={MAX_LENGTH.id}
            filter
          />
        </div>
        <div class="row">
          <SelectField
            name="organisation"
            label={labels.organisation}
            value={typed.organisation}
            onChange={set('organisation')}
            error={shown.organisation}
            options={[
              { value: '', label: t('dpo.log.anyOrganisation') },
              ...[...(data?.organisations.values() ?? [])]
                .map((o) => ({ value: o.id, label: o.name }))
                .sort((a, b) => compareNames(a.label, b.label)),
            ]}
            filter
          />
          <SelectField
            name="staff"
            label={labels.staff}
            value={typed.staff}
            onChange={set('staff')}
            error={shown.staff}
            options={[
              { value: '', label: t('dpo.log.anyone') },
              ...[...(data?.staff.values() ?? [])]
                .filter((s) => !typed.organisation || s.organisationId === typed.organisation)
                .map((s) => ({ value: s.id, label: s.name }))
                .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
            ]}
            filter
          />
        </div>
        <div class="row">
          <DateField
            name="from"
            label={labels.from}
            value={typed.from}
            onInput={set('from')}
            error={shown.from}
            filter
          />
          <DateField
            name="to"
            label={labels.to}
            value={typed.to}
            onInput={set('to')}
            error={shown.to}
            filter
          />
        </div>
        <div class="actions">
          <SubmitButton
            busy={loaded.loading}
            label={t('dpo.log.search')}
            busyLabel={t('dpo.searching')}
          />
        </div>
      </form>
      {loaded.error && Object.keys(apiErrors).length === 0 ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !data ? (
        loaded.loading && <Loading />
      ) : (
        <Results
          items={data.items}
          organisations={data.organisations}
          staff={data.staff}
          search={data.search}
        />
      )}
    </DpoLayout>
  );
}

function Results({
  items,
  organisations,
  staff,
  search,
}: {
  items: readonly AccessLogEntry[];
  organisations: ReadonlyMap<string, { name: string }>;
  staff: ReadonlyMap<string, { name: string }>;
  search: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section aria-labelledby="log-results" data-search={search}>
      <h2 id="log-results">
        {items.length === 0 ? t('dpo.log.none') : t('dpo.log.count', { n: items.length })}
      </h2>
      <Downloads
        done="dpo.downloaded"
        choices={(['csv', 'json'] as const).map((format) => ({
          id: format,
          label: t(format === 'csv' ? 'dpo.log.csv' : 'dpo.log.json'),
          path: `/access-log?${search ? `${search}&` : ''}format=${format}&limit=10000`,
          fallbackName: `relais-journal-acces.${format}`,
        }))}
      />
      {items.length > 0 && (
        <table class="data">
          <caption class="visually-hidden">{t('dpo.log.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dpo.log.at')}</th>
              <th scope="col">{t('dpo.log.who')}</th>
              <th scope="col">{t('dpo.log.organisation')}</th>
              <th scope="col">{t('dpo.log.purpose')}</th>
              <th scope="col">{t('dpo.log.outcome')}</th>
              <th scope="col">{t('dpo.log.read')}</th>
              <th scope="col">{t('dpo.log.cases')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={`${entry.day}-${entry.seq}`} data-request-id={entry.requestId}>
                <th scope="row">{i18n.timestamp(entry.at)}</th>
                <td>{staff.get(entry.staffId)?.name ?? entry.staffId}</td>
                <td>{organisations.get(entry.organisationId)?.name ?? entry.organisationId}</td>
                <td>{i18n.label('purpose', entry.purpose)}</td>
                <td>{i18n.label('outcome', entry.outcome)}</td>
                <td>
                  <code>{entry.route}</code>
                </td>
                <td>
                  {entry.caseIds.map((id) => (
                    <code key={id} title={id}>
                      {id.slice(0, 8)}{' '}
                    </code>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
