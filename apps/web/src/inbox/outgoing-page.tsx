import { api } from '../api/client.js';
import { reference } from '../api/reference.js';
import { OBLIGATION_STATUSES, type ObligationView } from '@relais/wire';
import { eventTypeLabel, namesOf, organisationName } from '../cases/describe.js';
import { Notice, SelectField } from '../components/forms.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { useMe } from '../session.js';
import { mayUse } from '../workspaces.js';

/** What the protocol asks the caller's organisation to tell others; blocked ones stand out. */
export function OutgoingPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { query } = useLocation();
  const wanted = query.get('status') ?? '';
  const status = (OBLIGATION_STATUSES as readonly string[]).includes(wanted) ? wanted : '';
  const caseWork = mayUse(me.roles, 'cases');
  const loaded = useLoad(async () => {
    const [obligations, organisations] = await Promise.all([
      api<ObligationView[]>('GET', status ? `/outgoing?status=${status}` : '/outgoing'),
      reference.organisations(),
    ]);
    return { obligations, names: namesOf(organisations, [], []) };
  }, [status]);

  const blocked =
    loaded.data?.obligations.filter((o) => o.status === 'blocked_no_legal_basis') ?? [];

  return (
    <Page title={t('outgoing.title')} intro={t('outgoing.intro')}>
      <div class="toolbar">
        <SelectField
          name="status"
          label={t('outgoing.status')}
          value={status}
          onChange={(value) =>
            navigate(value ? `/outgoing?status=${value}` : '/outgoing', { replace: true })
          }
          options={[
            { value: '', label: t('outgoing.status.all') },
            ...OBLIGATION_STATUSES.map((s) => ({ value: s, label: t(`obligationStatus.${s}`) })),
          ]}
          filter
        />
        <button type="button" onClick={loaded.reload}>
          {t('app.refresh')}
        </button>
      </div>
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <>
          {blocked.length > 0 && (
            <Notice tone="warning">
              <strong>{t('outgoing.blockedCount', { n: blocked.length })}</strong>
            </Notice>
          )}
          {loaded.data.obligations.length === 0 ? (
            <p>{t('outgoing.empty')}</p>
          ) : (
            <table class="data">
              <caption class="visually-hidden">{t('outgoing.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('outgoing.case')}</th>
                  <th scope="col">{t('outgoing.event')}</th>
                  <th scope="col">{t('outgoing.recipient')}</th>
                  <th scope="col">{t('outgoing.dueOn')}</th>
                  <th scope="col">{t('outgoing.ackDueOn')}</th>
                  <th scope="col">{t('outgoing.status')}</th>
                  <th scope="col">{t('outgoing.delivery')}</th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.obligations.map((o) => {
                  const reference = o.caseReference ?? o.caseId.slice(0, 8);
                  const isBlocked = o.status === 'blocked_no_legal_basis';
                  return (
                    <tr
                      key={o.id}
                      class={isBlocked ? 'blocked' : undefined}
                      data-obligation-id={o.id}
                    >
                      <th scope="row">
                        {caseWork ? (
                          <Link href={`/cases/${o.caseId}`}>{reference}</Link>
                        ) : (
                          reference
                        )}
                      </th>
                      <td>
                        {eventTypeLabel(i18n, o.eventType)}
                        <br />
                        <span class="muted">{i18n.date(o.occurredOn)}</span>
                      </td>
                      <td>{organisationName(loaded.data!.names, o.recipientOrganisationId)}</td>
                      <td>{i18n.date(o.dueOn)}</td>
                      <td>{i18n.date(o.acknowledgementDueOn)}</td>
                      <td>
                        <span class={`badge badge-${o.status}`}>
                          {t(`obligationStatus.${o.status}`)}
                        </span>
                        {o.breachedOn && (
                          <span class="badge badge-breached">
                            {t('inbox.breached', { date: i18n.date(o.breachedOn) })}
                          </span>
                        )}
                        {o.escalatedOn && (
                          <span class="badge badge-escalated">
                            {t('inbox.escalated', { date: i18n.date(o.escalatedOn) })}
                          </span>
                        )}
                        {isBlocked && caseWork && (
                          <>
                            <br />
                            <Link
                              href={`/cases/${o.caseId}/events/new?type=InformationSharedOutsideRelais`}
                            >
                              {t('outgoing.tellOutside')}
                            </Link>
                          </>
                        )}
                      </td>
                      <td>
                        {o.deliveries.length === 0
                          ? t('app.none')
                          : i18n.list(
                              o.deliveries.map((d) =>
                                t('case.delivery', {
                                  channel: i18n.label('deliveryChannel', d.channel),
                                  status: i18n.label('deliveryStatus', d.status),
                                }),
                              ),
                            )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}
