import type { Erasure } from '@relais/wire';
import { api } from '../api/client.js';
import { byId, reference } from '../api/reference.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { DpoLayout } from './dpo-layout.js';

/** Every erasure made, newest first: who, when, why and of which case; never who was erased. */
export function ErasuresPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(async () => {
    const [erasures, staff] = await Promise.all([
      api<{ items: Erasure[] }>('GET', '/erasures'),
      reference.staff(),
    ]);
    return { items: erasures.items, staff: byId(staff) };
  }, []);
  const data = loaded.data;
  return (
    <DpoLayout section="dpo.erasures" intro={t('dpo.erasures.intro')}>
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <p>{t('dpo.erasures.none')}</p>
      ) : (
        <table class="data">
          <caption>{t('dpo.erasures.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dpo.erasures.at')}</th>
              <th scope="col">{t('dpo.erasures.by')}</th>
              <th scope="col">{t('dpo.erasures.reason')}</th>
              <th scope="col">{t('dpo.erasures.case')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((erasure) => (
              <tr key={erasure.subjectId} data-subject-id={erasure.subjectId}>
                <th scope="row">{i18n.timestamp(erasure.erasedAt)}</th>
                <td>
                  {erasure.erasedBy === null
                    ? t('dpo.erasures.bySystem')
                    : (data.staff.get(erasure.erasedBy)?.name ?? t('app.none'))}
                </td>
                <td>{i18n.label('erasureReason', erasure.reason)}</td>
                <td>{erasure.caseReference}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DpoLayout>
  );
}
