import { api } from '../api/client.js';
import { reference } from '../api/reference.js';
import type { CaseSummary } from '@relais/wire';
import { useState } from 'preact/hooks';
import { Notice, SelectField, useText } from '../components/forms.js';
import { takeFlash } from '../flash.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { communeName, namesOf, organisationName } from './describe.js';
import { ReferralQueue } from './referral-queue.js';

const FILTERS = ['open', 'ended', 'all'] as const;
type Filter = (typeof FILTERS)[number];

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
  const cases = useLoad(
    () => api<CaseSummary[]>('GET', filter === 'all' ? '/cases' : `/cases?status=${filter}`),
    [filter],
  );
  const names = useLoad(
    async () => namesOf(await reference.organisations(), await reference.communes(), []),
    [],
  );

  return (
    <Page title={t('cases.title')} intro={t('cases.intro')}>
      {flash && <Notice tone="success">{text(flash)}</Notice>}
      <div class="toolbar">
        <Link href="/cases/new" class="button primary">
          {t('cases.open')}
        </Link>
        <SelectField
          name="status"
          label={t('cases.filter')}
          value={filter}
          onChange={(value) => navigate(`/cases?status=${value}`, { replace: true })}
          options={FILTERS.map((f) => ({ value: f, label: t(`cases.filter.${f}`) }))}
          filter
        />
      </div>
      <ReferralQueue />
      {cases.error || names.error ? (
        <LoadError error={cases.error ?? names.error} retry={cases.reload} />
      ) : !cases.data || !names.data ? (
        <Loading />
      ) : cases.data.length === 0 ? (
        <p>{t('cases.empty')}</p>
      ) : (
        <table class="data">
          <caption class="visually-hidden">{t('cases.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases.reference')}</th>
              <th scope="col">{t('cases.status')}</th>
              <th scope="col">{t('cases.openedOn')}</th>
              <th scope="col">{t('cases.commune')}</th>
              <th scope="col">{t('cases.partners')}</th>
              <th scope="col">{t('cases.lastChange')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.data.map((c) => (
              <tr key={c.caseId}>
                <th scope="row">
                  <Link href={`/cases/${c.caseId}`}>{c.reference}</Link>
                </th>
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
      )}
    </Page>
  );
}
