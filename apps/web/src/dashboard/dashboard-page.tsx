import type { ChartConfiguration } from 'chart.js';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { reference } from '../api/reference.js';
import {
  monthsBetween,
  type FollowUpPage,
  type FollowUpStatus,
  type Indicators,
  type OrganisationView,
  type ProtocolView,
  type Summary,
} from '@relais/wire';
import { eventTypeLabel, organisationName, namesOf, type Names } from '../cases/describe.js';
import { DateField, ErrorSummary, Notice, SelectField } from '../components/forms.js';
import { Downloads } from '../components/downloads.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { formatIsoDate, formatMonth, parseTypedDate } from '../i18n/dates.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/fr.js';
import { fieldErrorsOf, type FieldErrors, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { navigate, useLocation } from '../router.js';
import { Chart, COLOURS } from './chart.js';
import {
  byObligedOrganisation,
  CHARTED,
  INDICATORS,
  obligationsPath,
  reportPath,
  summaryPath,
  type Filters,
} from './compliance.js';
import { byName } from '../i18n/collation.js';

const PAGE_SIZE = 10;

function filtersFrom(query: URLSearchParams): Filters {
  const pick = (name: string) => query.get(name) ?? undefined;
  return {
    from: pick('from'),
    to: pick('to'),
    organisation: pick('organisation'),
    rule: pick('rule'),
  };
}

function indicatorValue(
  i18n: I18n,
  kind: 'count' | 'share' | 'days',
  value: number | null,
): string {
  if (kind === 'share') return i18n.share(value);
  if (kind === 'days')
    return value === null ? i18n.t('app.none') : i18n.t('app.workingDays', { n: value });
  return i18n.number(value);
}

/** Protocol compliance for managers and coordinators: indicators, charts, lists, reports. */
export function DashboardPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const filters = filtersFrom(query);
  const key = JSON.stringify(filters);
  const summary = useLoad(() => api<Summary>('GET', summaryPath(filters)), [key]);
  const context = useLoad(async () => {
    const [organisations, protocols] = await Promise.all([
      reference.organisations(),
      reference.protocols(),
    ]);
    const detailed = await Promise.all(
      protocols.map((p) => api<ProtocolView>('GET', `/protocols/${encodeURIComponent(p.id)}`)),
    );
    const rules = new Map<string, string>();
    for (const protocol of detailed)
      for (const version of protocol.versions)
        for (const rule of version.rules ?? []) rules.set(rule.id, rule.title ?? rule.id);
    return { organisations, names: namesOf(organisations, [], []), rules };
  }, []);

  const me = useMe();
  const choosesOrganisation = me.roles.includes('coordinator') || me.roles.includes('admin');
  const unavailable = summary.error instanceof ApiError && summary.error.status === 404;
  // A bad period or another organisation's figures in the address: said at the filter's field.
  const atFields =
    summary.error instanceof ApiError && summary.error.problem.errors?.length
      ? filterErrorsOf(summary.error, me.organisation?.name ?? me.organisationId)
      : undefined;
  const forbidden = summary.error instanceof ApiError && summary.error.status === 403 && !atFields;
  const scopeName = (organisation: string | null) =>
    organisation === null
      ? t('dashboard.wholeNetwork')
      : organisationName(context.data?.names ?? namesOf([], [], []), organisation);

  return (
    <Page title={t('dashboard.title')} intro={t('dashboard.intro')}>
      {context.data && (
        <FilterForm
          key={summary.data ? `${summary.data.from}/${summary.data.to}` : 'pending'}
          filters={filters}
          organisations={
            choosesOrganisation
              ? context.data.organisations
              : context.data.organisations.filter((o) => o.id === me.organisationId)
          }
          choosesOrganisation={choosesOrganisation}
          rules={context.data.rules}
          period={summary.data}
          answered={atFields}
        />
      )}
      {unavailable ? (
        <Notice tone="warning">{t('dashboard.unavailable')}</Notice>
      ) : forbidden ? (
        <Notice tone="error">{t('dashboard.forbidden')}</Notice>
      ) : atFields ? null : summary.error || context.error ? (
        <LoadError error={summary.error ?? context.error} retry={summary.reload} />
      ) : !summary.data || !context.data ? (
        <Loading />
      ) : (
        <>
          <div class="toolbar">
            <button type="button" onClick={summary.reload}>
              {t('app.refresh')}
            </button>
          </div>
          {summary.data.organisation !== null && (
            <ScopedIndicators
              id="organisation-figures"
              scope={scopeName(summary.data.organisation)}
              figures={summary.data.totals}
              summary={summary.data}
              i18n={i18n}
              marked="data-indicator"
            />
          )}
          <ScopedIndicators
            id="network-figures"
            scope={t('dashboard.wholeNetwork')}
            figures={summary.data.network}
            summary={summary.data}
            i18n={i18n}
            marked={
              summary.data.organisation === null ? 'data-indicator' : 'data-network-indicator'
            }
          />
          <Charts summary={summary.data} names={context.data.names} i18n={i18n} />
          <ObligationList
            status="at_risk"
            title={t('dashboard.listScope', {
              title: t('dashboard.atRisk'),
              scope: scopeName(summary.data.organisation),
            })}
            filters={filters}
            names={context.data.names}
            refresh={summary.data}
          />
          <ObligationList
            status="breached"
            title={t('dashboard.listScope', {
              title: t('dashboard.breached'),
              scope: scopeName(summary.data.organisation),
            })}
            filters={filters}
            names={context.data.names}
            refresh={summary.data}
          />
          <Reports summary={summary.data} />
        </>
      )}
    </Page>
  );
}

function FilterForm({
  filters,
  organisations,
  choosesOrganisation,
  rules,
  period,
  answered,
}: {
  filters: Filters;
  organisations: readonly OrganisationView[];
  /** A coordinator or admin chooses; a manager sees their own organisation, and says so. */
  choosesOrganisation: boolean;
  rules: ReadonlyMap<string, string>;
  period: Summary | undefined;
  /** What the API refused in the address's filters. */
  answered: FieldErrors | undefined;
}) {
  const { t } = useI18n();
  const initial = (chosen: string | undefined, answered: string | undefined, end: boolean) => {
    const value = chosen ?? answered;
    return value ? formatIsoDate(dayOfMonth(value, end)) : '';
  };
  const [from, setFrom] = useState(initial(filters.from, period?.from, false));
  const [to, setTo] = useState(initial(filters.to, period?.to, true));
  const [organisation, setOrganisation] = useState(
    choosesOrganisation ? (filters.organisation ?? '') : '',
  );
  const [rule, setRule] = useState(filters.rule ?? '');
  const [typedErrors, setErrors] = useState<FieldErrors | undefined>(undefined);
  const errors =
    typedErrors && Object.keys(typedErrors).length > 0 ? typedErrors : (answered ?? {});
  const submit = (event: Event) => {
    event.preventDefault();
    const found: Record<string, Message> = {};
    const fromIso = from.trim() ? parseTypedDate(from) : undefined;
    const toIso = to.trim() ? parseTypedDate(to) : undefined;
    if (from.trim() && !fromIso) found.from = { key: 'validation.date' };
    if (to.trim() && !toIso) found.to = { key: 'validation.date' };
    if (fromIso && toIso && fromIso > toIso) found.from = { key: 'validation.reversedPeriod' };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const search = new URLSearchParams();
    if (fromIso) search.set('from', fromIso);
    if (toIso) search.set('to', toIso);
    if (organisation) search.set('organisation', organisation);
    if (rule) search.set('rule', rule);
    navigate(`/dashboard${search.size > 0 ? `?${search.toString()}` : ''}`, { replace: true });
  };
  return (
    <form
      class="form filters"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-labelledby="filters-title"
    >
      <h2 id="filters-title">{t('dashboard.filters')}</h2>
      <ErrorSummary
        errors={errors}
        labels={{
          from: t('dashboard.from'),
          to: t('dashboard.to'),
          organisation: t('dashboard.organisation'),
          rule: t('dashboard.rule'),
        }}
      />
      <div class="row">
        <DateField
          name="from"
          label={t('dashboard.from')}
          value={from}
          onInput={setFrom}
          error={errors.from}
          filter
        />
        <DateField
          name="to"
          label={t('dashboard.to')}
          value={to}
          onInput={setTo}
          error={errors.to}
          filter
        />
        <SelectField
          name="organisation"
          label={t('dashboard.organisation')}
          value={organisation}
          onChange={setOrganisation}
          error={errors.organisation}
          options={[
            ...(choosesOrganisation ? [{ value: '', label: t('dashboard.all') }] : []),
            ...byName(organisations).map((o) => ({ value: o.id, label: o.name })),
          ]}
          filter
        />
        <SelectField
          name="rule"
          label={t('dashboard.rule')}
          value={rule}
          onChange={setRule}
          error={errors.rule}
          options={[
            { value: '', label: t('dashboard.all') },
            ...[...rules.entries()].map(([id, title]) => ({ value: id, label: title })),
          ]}
          filter
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary">
          {t('dashboard.apply')}
        </button>
      </div>
    </form>
  );
}

function ScopedIndicators({
  id,
  scope,
  figures,
  summary,
  i18n,
  marked,
}: {
  id: string;
  scope: string;
  figures: Indicators;
  summary: Summary;
  i18n: I18n;
  /** The attribute that names each figure: the first block's are what tests and tools read. */
  marked: 'data-indicator' | 'data-network-indicator';
}) {
  const { t } = i18n;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t('dashboard.figures', {
          scope,
          from: formatMonth(summary.from),
          to: formatMonth(summary.to),
        })}
      </h2>
      <dl class="indicators">
        {INDICATORS.map(({ key, kind }) => (
          <div class={`indicator indicator-${kind}`} key={key} {...{ [marked]: key }}>
            <dt>{t(`indicator.${key}` as MessageKey)}</dt>
            <dd>{indicatorValue(i18n, kind, figures[key])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * The API's refusal of the address's filters, at their fields: another organisation's figures
 * say whose the manager sees.
 */
function filterErrorsOf(error: ApiError, ownName: string): FieldErrors {
  const errors = fieldErrorsOf(error.problem);
  if (error.problem.code !== 'NOT_YOUR_ORGANISATION') return errors;
  return {
    ...errors,
    organisation: { key: 'dashboard.ownOrganisationOnly', params: { organisation: ownName } },
  };
}

const chartedLabel = (i18n: I18n, key: keyof Indicators) =>
  i18n.t(`indicator.${key}` as MessageKey);

function Charts({ summary, names, i18n }: { summary: Summary; names: Names; i18n: I18n }) {
  const { t } = i18n;
  const months = summary.trend.map((m) => i18n.month(m.month));
  const trendSeries = [
    'obligations',
    'acknowledgedOnTime',
    'acknowledgedLate',
    'breached',
  ] as const;
  const trendConfig: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: months,
      datasets: trendSeries.map((key) => ({
        label: chartedLabel(i18n, key),
        data: summary.trend.map((m) => m[key]),
        backgroundColor: COLOURS[key],
      })),
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
  const organisations = byObligedOrganisation(summary.rows);
  const organisationConfig: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: organisations.map((o) => organisationName(names, o.organisationId)),
      datasets: CHARTED.map((key) => ({
        label: chartedLabel(i18n, key),
        data: organisations.map((o) => o.counts[key]),
        backgroundColor: COLOURS[key],
      })),
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: true },
      },
    },
  };
  const summaryText = (labels: readonly string[]) =>
    `${labels.length} · ${labels.slice(0, 6).join(', ')}`;
  return (
    <section aria-labelledby="charts-title" class="charts">
      <h2 id="charts-title" class="visually-hidden">
        {t('dashboard.trend')}
      </h2>
      <Chart
        id="chart-trend"
        title={t('dashboard.trend')}
        summary={t('app.labelled', { label: t('dashboard.trend'), value: summaryText(months) })}
        config={trendConfig}
        table={{
          caption: t('dashboard.trend'),
          columns: [
            t('dashboard.month'),
            ...trendSeries.map((k) => chartedLabel(i18n, k)),
            chartedLabel(i18n, 'acknowledgedOnTimeShare'),
          ],
          rows: summary.trend.map((m) => [
            i18n.month(m.month),
            ...trendSeries.map((k) => i18n.number(m[k])),
            i18n.share(m.acknowledgedOnTimeShare),
          ]),
        }}
      />
      <Chart
        id="chart-organisations"
        title={t('dashboard.byOrganisation')}
        summary={t('app.labelled', {
          label: t('dashboard.byOrganisation'),
          value: summaryText(organisations.map((o) => organisationName(names, o.organisationId))),
        })}
        config={organisationConfig}
        table={{
          caption: t('dashboard.byOrganisation'),
          columns: [
            t('dashboard.organisation'),
            chartedLabel(i18n, 'obligations'),
            ...CHARTED.map((k) => chartedLabel(i18n, k)),
          ],
          rows: organisations.map((o) => [
            organisationName(names, o.organisationId),
            i18n.number(o.obligations),
            ...CHARTED.map((k) => i18n.number(o.counts[k])),
          ]),
        }}
      />
    </section>
  );
}

function ObligationList({
  status,
  title,
  filters,
  names,
  refresh,
}: {
  status: FollowUpStatus;
  title: string;
  filters: Filters;
  names: Names;
  refresh: unknown;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [page, setPage] = useState(1);
  const loaded = useLoad(
    () => api<FollowUpPage>('GET', obligationsPath(status, filters, page, PAGE_SIZE)),
    [JSON.stringify(filters), page, refresh],
  );
  const headingId = `list-${status}`;
  const pages = loaded.data ? Math.max(1, Math.ceil(loaded.data.total / loaded.data.pageSize)) : 1;
  return (
    <section aria-labelledby={headingId} data-list={status}>
      <h2 id={headingId}>
        {title}
        {loaded.data && <span class="count"> ({i18n.number(loaded.data.total)})</span>}
      </h2>
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : loaded.data.items.length === 0 ? (
        <p>{t('dashboard.listEmpty')}</p>
      ) : (
        <>
          <table class="data">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.case')}</th>
                <th scope="col">{t('dashboard.event')}</th>
                <th scope="col">{t('dashboard.obliged')}</th>
                <th scope="col">{t('dashboard.recipient')}</th>
                <th scope="col">{t('dashboard.occurredOn')}</th>
                <th scope="col">{t('dashboard.dueOn')}</th>
                <th scope="col">{t('dashboard.ackDueOn')}</th>
                <th scope="col">
                  {status === 'breached' ? t('dashboard.breachedOn') : t('dashboard.escalatedOn')}
                </th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.items.map((o) => (
                <tr key={o.obligationId}>
                  <th scope="row">{o.caseReference ?? o.caseId.slice(0, 8)}</th>
                  <td>{eventTypeLabel(i18n, o.eventType)}</td>
                  <td>{organisationName(names, o.obligedOrganisationId)}</td>
                  <td>{organisationName(names, o.recipientOrganisationId)}</td>
                  <td>{i18n.date(o.occurredOn)}</td>
                  <td>{i18n.date(o.dueOn)}</td>
                  <td>{i18n.date(o.acknowledgementDueOn)}</td>
                  <td>{i18n.date(status === 'breached' ? o.breachedOn : o.escalatedOn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <nav class="pager" aria-label={title}>
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                {t('app.previous')}
              </button>
              <span>{t('app.pageOf', { page, pages })}</span>
              <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                {t('app.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

function Reports({ summary }: { summary: Summary }) {
  const i18n = useI18n();
  const { t } = i18n;
  const months = monthsBetween(summary.from, summary.to).reverse();
  const [month, setMonth] = useState(months[0] ?? summary.to.slice(0, 7));
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">{t('dashboard.reports')}</h2>
      <Downloads
        done="dashboard.downloaded"
        choices={(['csv', 'pdf'] as const).map((format) => ({
          id: format,
          label: t(`dashboard.${format}`),
          path: reportPath(format, month),
          fallbackName: `relais-${month}.${format}`,
        }))}
      >
        <SelectField
          name="reportMonth"
          label={t('dashboard.reportMonth')}
          value={month}
          onChange={setMonth}
          options={months.map((m) => ({ value: m, label: i18n.month(m) }))}
          filter
        />
      </Downloads>
    </section>
  );
}

/** The summary answers whole months (`2026-11`): the filter shows their first or last day. */
function dayOfMonth(value: string, end: boolean): string {
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (!month) return value;
  if (!end) return `${value}-01`;
  const last = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0));
  return last.toISOString().slice(0, 10);
}
