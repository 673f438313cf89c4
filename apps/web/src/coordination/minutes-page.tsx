import type { MinutesInboxEntry } from '@relais/wire';
import { api } from '../api/client.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { CoordinationLayout, Shown } from './coordination-layout.js';

/** The approved minutes distributed to the signed-in member, newest meeting first. */
export function MinutesPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(() => api<MinutesInboxEntry[]>('GET', '/coordination/minutes'), []);
  return (
    <CoordinationLayout section="minutes">
      <Shown loaded={loaded} empty={t('coord.noReceivedMinutes')}>
        {(data) => (
          <table class="data">
            <caption>{t('coord.minutes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('coord.minutesStatus')}</th>
                <th scope="col">{t('coord.body')}</th>
                <th scope="col">{t('coord.receivedOn')}</th>
              </tr>
            </thead>
            <tbody>
              {[...data]
                .sort((a, b) => b.date.localeCompare(a.date))
                .map((entry) => (
                  <tr key={entry.meetingId}>
                    <th scope="row">
                      <Link href={`/coordination/meetings/${entry.meetingId}`}>
                        {t('coord.meetingOf', { date: i18n.date(entry.date) })}
                      </Link>
                    </th>
                    <td>{entry.bodyName}</td>
                    <td>{i18n.timestamp(entry.deliveredAt)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </Shown>
    </CoordinationLayout>
  );
}
