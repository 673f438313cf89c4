import { api } from '../api/client.js';
import { reference } from '../api/reference.js';
import type { ReferralSummary } from '@relais/wire';
import { LoadError } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/fr.js';
import { Link } from '../router.js';
import { communeName, namesOf, organisationName, type Names } from './describe.js';

/**
 * The referrals waiting for the organisation's answer (`GET /referrals`): the reference, the
 * commune, who asks and why, never the family. With `sent`, also the 50 newest the organisation
 * sent, and the answer each got. Shows nothing while there is none.
 */
export function ReferralQueue({ sent = false }: { sent?: boolean }) {
  const i18n = useI18n();
  const loaded = useLoad(async () => {
    const [referrals, organisations, communes] = await Promise.all([
      api<ReferralSummary[]>('GET', '/referrals'),
      reference.organisations(),
      reference.communes(),
    ]);
    return { referrals, names: namesOf(organisations, communes, []) };
  }, []);
  if (loaded.error) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return null;
  const { referrals, names } = loaded.data;
  const lists: readonly {
    id: string;
    direction: ReferralSummary['direction'];
    title: MessageKey;
    intro: MessageKey;
  }[] = [
    {
      id: 'referrals-to-answer',
      direction: 'incoming',
      title: 'referrals.toAnswer',
      intro: 'referrals.toAnswerIntro',
    },
    ...(sent
      ? [
          {
            id: 'referrals-sent',
            direction: 'outgoing' as const,
            title: 'referrals.mine' as const,
            intro: 'referrals.mineIntro' as const,
          },
        ]
      : []),
  ];
  return (
    <>
      {lists.map((list) => {
        const shown = referrals.filter((r) => r.direction === list.direction);
        return (
          shown.length > 0 && (
            <ReferralList
              key={list.id}
              id={list.id}
              title={i18n.t(list.title)}
              intro={i18n.t(list.intro)}
              referrals={shown}
              names={names}
              i18n={i18n}
            />
          )
        );
      })}
    </>
  );
}

function ReferralList({
  id,
  title,
  intro,
  referrals,
  names,
  i18n,
}: {
  id: string;
  title: string;
  intro: string;
  referrals: readonly ReferralSummary[];
  names: Names;
  i18n: I18n;
}) {
  const { t } = i18n;
  return (
    <section class="referrals" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p class="hint">{intro}</p>
      <ul class="plain referral-list">
        {referrals.map((r) => (
          <li key={r.referralId} data-case-id={r.caseId} data-status={r.status}>
            <Link href={`/cases/${r.caseId}`}>{t('inbox.case', { reference: r.reference })}</Link>
            {' — '}
            {communeName(names, r.residenceCommune)}
            <br />
            <span class="meta">
              {[
                r.direction === 'incoming'
                  ? t('referrals.from', { organisation: organisationName(names, r.from) })
                  : t('referrals.to', { organisation: organisationName(names, r.to) }),
                t('referrals.reason', { reason: i18n.label('referralReason', r.reason) }),
                t('referrals.sentOn', { date: i18n.date(r.sentOn) }),
              ].join(' · ')}
            </span>
            {r.direction === 'outgoing' && (
              <>
                <br />
                <span class={`badge badge-referral-${r.status}`}>
                  {r.answeredOn
                    ? t('referrals.answered', {
                        status: t(`referralStatus.${r.status}`),
                        date: i18n.date(r.answeredOn),
                      })
                    : t('referralStatus.sent')}
                </span>
                {r.declineReason && (
                  <>
                    {' '}
                    {t('referrals.declineReason', {
                      reason: i18n.label('declineReason', r.declineReason),
                    })}
                  </>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
