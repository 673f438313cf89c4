import { useState } from 'preact/hooks';
import { MAX_LENGTH, type AccessLogEntry, type SubjectMatch } from '@relais/wire';
import { api, ApiError } from '../api/client.js';
import { byId, reference } from '../api/reference.js';
import { Downloads } from '../components/downloads.js';
import {
  DateField,
  ErrorSummary,
  Notice,
  SelectField,
  SubmitButton,
  TextField,
} from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { formatIsoDate, parseTypedDate } from '../i18n/dates.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { Link, navigate, useLocation } from '../router.js';
import { DpoLayout } from './dpo-layout.js';
import { searchError } from './people-page.js';
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

/** The form as typed: the person by NISS or name, which the page turns into a subject id. */
type Typed = Readonly<Record<Exclude<Filter, 'subject'> | 'person', string>>;

/** The typed form -> the filters the API takes (ISO days), or the errors at their fields. */
export function checkedFilters(
  typed: Typed,
  subject: string,
): { filters: Filters } | { errors: FieldErrors } {
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
  if (typed.case.trim().length > MAX_LENGTH.id)
    errors.case = { key: 'validation.tooLong', params: { n: MAX_LENGTH.id } };
  const person = typed.person.trim();
  const personError = person === '' ? undefined : searchError(searchedBy(person), person);
  if (personError) errors.person = personError;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    filters: {
      staff: typed.staff,
      organisation: typed.organisation,
      subject,
      case: typed.case.trim(),
      from: days.from ?? '',
      to: days.to ?? '',
    },
  };
}

/** Digits, dots, dashes and spaces only: a NISS; anything with a letter: a name. */
const searchedBy = (typed: string): 'niss' | 'name' => (/\p{L}/u.test(typed) ? 'name' : 'niss');

/** The one person a NISS or a name finds, or why there is none to filter by. */
async function personOf(typed: string): Promise<{ subjectId: string } | { error: Message }> {
  const by = searchedBy(typed);
  const { items } = await api<{ items: SubjectMatch[] }>(
    'GET',
    `/dpo/subjects?${by}=${encodeURIComponent(typed)}`,
  );
  const [only, ...others] = items;
  if (only === undefined) return { error: { key: 'dpo.log.personNotFound' } };
  if (others.length > 0) return { error: { key: 'dpo.log.personAmbiguous' } };
  return { subjectId: only.subjectId };
}

/** The DPO searches who read what, when and why, and exports what they found. */
export function AccessLogPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const applied = filtersOf(query);
  const [typed, setTyped] = useState<Typed>({
    person: '',
    staff: applied.staff,
    organisation: applied.organisation,
    case: applied.case,
    from: applied.from ? formatIsoDate(applied.from) : '',
    to: applied.to ? formatIsoDate(applied.to) : '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [finding, setFinding] = useState(false);
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
  const set = (field: keyof Typed) => (value: string) => setTyped({ ...typed, [field]: value });
  const labels: Record<Exclude<Filter, 'subject'> | 'person' | 'subject', string> = {
    person: t('dpo.log.person'),
    subject: t('dpo.log.person'),
    staff: t('dpo.log.staff'),
    organisation: t('dpo.log.organisation'),
    case: t('dpo.log.case'),
    from: t('dpo.log.from'),
    to: t('dpo.log.to'),
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (finding) return;
    setGeneral([]);
    const checked = checkedFilters(typed, applied.subject);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    let filters = checked.filters;
    const person = typed.person.trim();
    if (person !== '') {
      setFinding(true);
      try {
        const found = await personOf(person);
        if ('error' in found) {
          setErrors({ person: found.error });
          return;
        }
        filters = { ...filters, subject: found.subjectId };
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const atFields = fieldErrorsOf(error.problem);
        const [first] = Object.values(atFields);
        if (first) setErrors({ person: first });
        else setGeneral([problemMessage(error.problem)]);
        return;
      } finally {
        setFinding(false);
      }
    }
    setErrors({});
    const next = queryOf(filters);
    navigate(next ? `/dpo/log?${next}` : '/dpo/log', { replace: true });
  };

  const data = loaded.data;
  return (
    <DpoLayout section="dpo.log" intro={t('dpo.log.intro')}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => void submit(event)}
        aria-label={t('dpo.log.filters')}
      >
        <ErrorSummary errors={shown} labels={labels} general={general} />
        {applied.subject && (
          <Notice tone="info">
            {t('dpo.log.personChosen')}{' '}
            <Link href={`/dpo/log?${queryOf({ ...applied, subject: '' })}`}>
              {t('dpo.log.personClear')}
            </Link>
          </Notice>
        )}
        <div class="row">
          <TextField
            name="person"
            label={labels.person}
            hint={t('dpo.log.personHint')}
            value={typed.person}
            onInput={set('person')}
            error={shown.person ?? shown.subject}
            maxLength={2 * MAX_LENGTH.personName + 1}
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
            busy={loaded.loading || finding}
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
        {items.length === 0 ? t('dpo.log.none') : i18n.count('dpo.log.count', items.length)}
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
                  {i18n.list(entry.cases.map((c) => c.reference ?? t('dpo.log.caseUnknown')))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
