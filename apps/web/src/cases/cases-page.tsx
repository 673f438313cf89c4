import { api } from '../api/client.js';
import { reference } from '../api/reference.js';
import { MAX_LENGTH, type CasePage, type CaseSummary } from '@relais/wire';
import { useState } from 'preact/hooks';
import { Notice, SelectField, TextField, useText } from '../components/forms.js';
import { takeFlash } from '../flash.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { communeName, namesOf, organisationName, personName } from './describe.js';
import { ReferralQueue } from './referral-queue.js';

const FILTERS = ['open', 'ended', 'all'] as const;
type Filter = (typeof FILTERS)[number];
const ASSIGNED = ['all', 'me'] as const;

/** The list's address: what it shows is in the URL, so a search can be bookmarked and shared. */
function listPath(params: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
  return `/cases?${query.toString()}`;
}

/** The cases the caller's organisation is a partner of, with their status and partners. */
export function CasesPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const text = useText();
  const [flash] = useState(takeFlash);
  const filter: Filter = (FILTERS as readonly string[]).includes(query.get('status') ?? '')
    ? (query.get('status') as Filter)
    : 'open';
  const params: Readonly<Record<'status' | 'q' | 'commune' | 'assigned', string>> = {
    status: filter,
    q: query.get('q') ?? '',
    commune: query.get('commune') ?? '',
    assigned: query.get('assigned') === 'me' ? 'me' : '',
  };
  const [typed, setTyped] = useState(params.q);
  const shown = (changed: Partial<typeof params>) =>
    navigate(listPath({ ...params, ...changed }), { replace: true });
  const apiPath = (after = '') =>
    listPath({ ...params, status: filter === 'all' ? '' : filter, after });
  const cases = useLoad(
    () => api<CasePage>('GET', apiPath()),
    [filter, params.q, params.commune, params.assigned],
  );
  // The pages after the first, while the first is the one they follow: a new search starts over.
  const [more, setMore] = useState<{
    readonly after: CasePage;
    readonly items: readonly CaseSummary[];
    readonly next: string | null;
  }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const following = more && more.after === cases.data ? more : undefined;
  const listedCases = [...(cases.data?.items ?? []), ...(following?.items ?? [])];
  const next = following ? following.next : (cases.data?.next ?? null);
  const showMore = async () => {
    if (!cases.data || next === null || loadingMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api<CasePage>('GET', apiPath(next));
      setMore({
        after: cases.data,
        items: [...(following?.items ?? []), ...page.items],
        next: page.next,
      });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };
  const names = useLoad(
    async () => namesOf(await reference.organisations(), await reference.communes(), []),
    [],
  );
  const communes = names.data
    ? [...names.data.communes.values()]
        .map((c) => ({ value: c.ins, label: c.name }))
        .sort((a, b) => a.label.localeCompare(b.label, 'fr'))
    : [];

  return (
    <Page title={t('cases.title')} intro={t('cases.intro')}>
      {flash && <Notice tone="success">{text(flash)}</Notice>}
      <div class="toolbar">
        <Link href="/cases/new" class="button primary">
          {t('cases.open')}
        </Link>
      </div>
      <form
        role="search"
        class="toolbar"
        aria-label={t('cases.search')}
        onSubmit={(event) => {
          event.preventDefault();
          shown({ q: typed.trim() });
        }}
      >
        <TextField
          name="q"
          label={t('cases.search')}
          hint={t('cases.search.hint')}
          value={typed}
          onInput={setTyped}
          maxLength={MAX_LENGTH.caseSearch}
          filter
        />
        <button type="submit">{t('cases.search.submit')}</button>
        {params.q !== '' && (
          <button
            type="button"
            onClick={() => {
              setTyped('');
              shown({ q: '' });
            }}
          >
            {t('cases.search.clear')}
          </button>
        )}
      </form>
      <div class="toolbar">
        <SelectField
          name="status"
          label={t('cases.filter')}
          value={filter}
          onChange={(value) => shown({ status: value })}
          options={FILTERS.map((f) => ({ value: f, label: t(`cases.filter.${f}`) }))}
          filter
        />
        <SelectField
          name="assigned"
          label={t('cases.assigned')}
          value={params.assigned === 'me' ? 'me' : 'all'}
          onChange={(value) => shown({ assigned: value === 'me' ? 'me' : '' })}
          options={ASSIGNED.map((a) => ({ value: a, label: t(`cases.assigned.${a}`) }))}
          filter
        />
        <SelectField
          name="commune"
          label={t('cases.commune')}
          value={params.commune}
          onChange={(value) => shown({ commune: value })}
          options={communes}
          placeholder
          placeholderLabel={t('cases.commune.all')}
          filter
        />
      </div>
      <ReferralQueue />
      {cases.error || names.error ? (
        <LoadError error={cases.error ?? names.error} retry={cases.reload} />
      ) : !cases.data || !names.data ? (
        <Loading />
      ) : listedCases.length === 0 ? (
        <p>{t(params.q === '' ? 'cases.empty' : 'cases.search.none')}</p>
      ) : (
        <>
          <table class="data">
            <caption class="visually-hidden">{t('cases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.reference')}</th>
                <th scope="col">{t('cases.family')}</th>
                <th scope="col">{t('cases.status')}</th>
                <th scope="col">{t('cases.openedOn')}</th>
                <th scope="col">{t('cases.commune')}</th>
                <th scope="col">{t('cases.partners')}</th>
                <th scope="col">{t('cases.lastChange')}</th>
              </tr>
            </thead>
            <tbody>
              {listedCases.map((c) => (
                <tr key={c.caseId}>
                  <th scope="row">
                    <Link href={`/cases/${c.caseId}`}>{c.reference}</Link>
                  </th>
                  <td>
                    <ul class="plain">
                      {c.family.map((member) => (
                        <li key={member.subjectId}>{personName(i18n, member)}</li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <span class={`badge badge-${c.status}`}>{t(`caseStatus.${c.status}`)}</span>
                  </td>
                  <td>{i18n.date(c.openedOn)}</td>
                  <td>{communeName(names.data!, c.residenceCommune)}</td>
                  <td>
                    <ul class="plain">
                      {c.partnerIds.map((id) => (
                        <li key={id}>
                          {organisationName(names.data!, id)}
                          {!c.activePartnerIds.includes(id) && (
                            <span class="muted"> ({t('cases.inactivePartner')})</span>
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{i18n.timestamp(c.lastRecordedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="toolbar" aria-live="polite">
            <span>{t('cases.shown', { n: listedCases.length })}</span>
            {next !== null && (
              <button
                type="button"
                onClick={() => void showMore()}
                aria-disabled={loadingMore ? 'true' : undefined}
              >
                {t(loadingMore ? 'cases.more.loading' : 'cases.more')}
              </button>
            )}
          </p>
          {moreError !== undefined && <LoadError error={moreError} retry={() => void showMore()} />}
        </>
      )}
    </Page>
  );
}
