import type { ExpiringCase } from '@relais/wire';
import { api } from '../api/client.js';
import { byId, reference } from '../api/reference.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { DpoLayout } from './dpo-layout.js';

/** What the retention job erases in the next 30 days, soonest first. */
export function RetentionPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(async () => {
    const [expiring, organisations] = await Promise.all([
      api<{ until: string; items: ExpiringCase[] }>('GET', '/retention/expiring?days=30'),
      reference.organisations(),
    ]);
    return { ...expiring, organisations: byId(organisations) };
  }, []);
  const data = loaded.data;
  return (
    <DpoLayout section="dpo.retention" intro={t('dpo.retention.intro')}>
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <p>{t('dpo.retention.none', { date: i18n.date(data.until) })}</p>
      ) : (
        <table class="data">
          <caption>{t('dpo.retention.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dpo.retention.case')}</th>
              <th scope="col">{t('dpo.retention.endedOn')}</th>
              <th scope="col">{t('dpo.retention.expiresOn')}</th>
              <th scope="col">{t('dpo.retention.years')}</th>
              <th scope="col">{t('dpo.retention.partners')}</th>
              <th scope="col">{t('dpo.retention.people')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.caseId} data-case-id={c.caseId}>
                <th scope="row">{c.reference}</th>
                <td>{i18n.date(c.endedOn)}</td>
                <td>{i18n.date(c.expiresOn)}</td>
                <td>{i18n.count('count.years', c.years)}</td>
                <td>
                  {i18n.list(c.partnerIds.map((id) => data.organisations.get(id)?.name ?? id))}
                </td>
                <td>{i18n.count('count.people', c.subjectIds.length)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DpoLayout>
  );
}
