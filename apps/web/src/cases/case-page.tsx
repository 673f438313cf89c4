import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { reference } from '../api/reference.js';
import type { CaseView, ObligationView, ReferralView, TimelineEntry } from '@relais/wire';
import { Notice, useText } from '../components/forms.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { takeFlash } from '../flash.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useMe } from '../session.js';
import {
  describeData,
  eventTypeLabel,
  namesOf,
  organisationName,
  personName,
  statusKey,
  type Names,
} from './describe.js';
import { availableTypes, type CaseFile } from './event-forms.js';
import { obligationsByEvent } from './timeline.js';

export interface CaseData {
  readonly view: CaseFile;
  readonly timeline: readonly TimelineEntry[];
  readonly obligations: readonly ObligationView[];
  /** Set when the caller's organisation only has a referral to answer: no history, no family. */
  readonly referral?: ReferralView;
}

export async function loadCase(id: string): Promise<CaseData> {
  const path = `/cases/${encodeURIComponent(id)}`;
  const view = await api<CaseView | ReferralView>('GET', path);
  if (view.access === 'referral') {
    // What the event forms need to answer it; the API sends nothing else.
    const { referrals, ...rest } = view;
    const asCase: CaseFile = {
      ...rest,
      openedBy: '',
      family: [],
      partners: [],
      consents: [],
      referrals: referrals.map(({ referralId, from, to, status, reason }) => ({
        referralId,
        from,
        to,
        status,
        reason,
      })),
    };
    return { view: asCase, timeline: [], obligations: [], referral: view };
  }
  const [timeline, obligations] = await Promise.all([
    api<TimelineEntry[]>('GET', `${path}/timeline`),
    api<ObligationView[]>('GET', `${path}/obligations`),
  ]);
  return { view, timeline, obligations };
}

export async function loadNames(family?: CaseView['family']): Promise<Names> {
  const [organisations, communes, staff] = await Promise.all([
    reference.organisations(),
    reference.communes(),
    reference.staff(),
  ]);
  return namesOf(organisations, communes, staff, family);
}

/** The case not found or not shared with the caller's organisation: the API says 404 for both. */
export function CaseNotFound() {
  const { t } = useI18n();
  return (
    <Page title={t('case.notFound')}>
      <p>{t('case.notFoundText')}</p>
      <p>
        <Link href="/cases">{t('case.backToList')}</Link>
      </p>
    </Page>
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

/** A referral to answer: the reference, why, who sent it and how to reach them; never the family. */
function ReferralWaiting({ referral }: { referral: ReferralView }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Page title={t('case.referralTitle', { reference: referral.reference })}>
      <p>{t('case.referralIntro')}</p>
      <dl class="facts">
        <dt>{t('cases.commune')}</dt>
        <dd>{referral.residenceCommune.name ?? referral.residenceCommune.ins}</dd>
        <dt>{t('cases.openedOn')}</dt>
        <dd>{i18n.date(referral.openedOn)}</dd>
      </dl>
      {referral.referrals.map((r) => (
        <section key={r.referralId} aria-labelledby={`referral-${r.referralId}`}>
          <h2 id={`referral-${r.referralId}`}>
            {t('case.referralFrom', { organisation: r.sender.name })}
          </h2>
          <dl class="facts">
            <dt>{t('case.referralReason')}</dt>
            <dd>{r.reason ? i18n.label('referralReason', r.reason) : '—'}</dd>
            <dt>{t('case.referralSentOn')}</dt>
            <dd>{i18n.date(r.sentOn)}</dd>
            <dt>{t('case.referralContact')}</dt>
            <dd>
              {r.sender.staffName && <>{r.sender.staffName}, </>}
              {r.sender.staffEmail && (
                <a href={`mailto:${r.sender.staffEmail}`}>{r.sender.staffEmail}</a>
              )}
              {r.sender.contactEmail && r.sender.contactEmail !== r.sender.staffEmail && (
                <>
                  {' '}
                  ({r.sender.name} :{' '}
                  <a href={`mailto:${r.sender.contactEmail}`}>{r.sender.contactEmail}</a>)
                </>
              )}
            </dd>
          </dl>
          <div class="toolbar">
            <Link
              href={`/cases/${referral.id}/events/new?type=ReferralAccepted&referralId=${r.referralId}`}
              class="button primary"
            >
              {t('case.acceptReferral')}
            </Link>
            <Link
              href={`/cases/${referral.id}/events/new?type=ReferralDeclined&referralId=${r.referralId}`}
              class="button"
            >
              {t('case.declineReferral')}
            </Link>
          </div>
        </section>
      ))}
      <p>
        <Link href="/cases">{t('case.backToList')}</Link>
      </p>
    </Page>
  );
}

export function CasePage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = useText();
  const me = useMe();
  const [flash] = useState(takeFlash);
  const loaded = useLoad(() => loadCase(id), [id]);
  const names = useLoad(() => loadNames(loaded.data?.view.family), [loaded.data]);

  if (loaded.error) {
    return isNotFound(loaded.error) ? (
      <CaseNotFound />
    ) : (
      <Page title={t('case.title', { reference: '' })}>
        <LoadError error={loaded.error} retry={loaded.reload} />
      </Page>
    );
  }
  if (!loaded.data || !names.data) {
    return (
      <Page title={t('app.loading')}>
        {names.error ? <LoadError error={names.error} retry={names.reload} /> : <Loading />}
      </Page>
    );
  }
  const { view, timeline, obligations, referral } = loaded.data;
  if (referral) return <ReferralWaiting referral={referral} />;
  const canLog = availableTypes(view, me.organisationId, me.organisation?.kind).length > 0;
  const { byEvent, unmatched } = obligationsByEvent(timeline, obligations);

  return (
    <Page title={t('case.title', { reference: view.reference })}>
      {flash && <Notice tone="success">{text(flash)}</Notice>}
      {view.access === 'former_partner' && <Notice tone="info">{t('case.formerPartner')}</Notice>}
      <div class="toolbar">
        <Link href="/cases">{t('case.backToList')}</Link>
        {canLog && (
          <Link href={`/cases/${view.id}/events/new`} class="button primary">
            {t('case.logEvent')}
          </Link>
        )}
        <button type="button" onClick={loaded.reload}>
          {t('app.refresh')}
        </button>
      </div>

      <div class="columns">
        <section aria-labelledby="case-summary">
          <h2 id="case-summary">{t('case.summary')}</h2>
          <dl class="facts">
            <dt>{t('cases.status')}</dt>
            <dd>
              <span class={`badge badge-${view.status}`}>{t(`caseStatus.${view.status}`)}</span>
            </dd>
            <dt>{t('cases.openedOn')}</dt>
            <dd>{i18n.date(view.openedOn)}</dd>
            <dt>{t('cases.commune')}</dt>
            <dd>{view.residenceCommune.name ?? view.residenceCommune.ins}</dd>
          </dl>
          <h2>{t('case.family')}</h2>
          <ul class="plain">
            {view.family.map((member) => (
              <li key={member.subjectId}>
                <strong>{personName(i18n, member)}</strong> — {i18n.label('role', member.role)}
                {member.birthDate && !member.erased && (
                  <>, {t('case.birthDate', { date: i18n.date(member.birthDate) })}</>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="case-partners">
          <h2 id="case-partners">{t('case.partners')}</h2>
          <table class="data compact">
            <thead>
              <tr>
                <th scope="col">{t('case.partner')}</th>
                <th scope="col">{t('cases.status')}</th>
                <th scope="col">{t('case.legalBasis')}</th>
                <th scope="col">{t('case.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {view.partners.map((p) => (
                <tr key={p.organisationId}>
                  <th scope="row">{p.name}</th>
                  <td>{t(`partnerStatus.${p.status}`)}</td>
                  <td>{i18n.label('legalBasis', p.legalBasis)}</td>
                  <td>
                    {i18n.list(p.assignedStaffIds.map((s) => names.data!.staff.get(s)?.name ?? s))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.consents.length > 0 && (
            <>
              <h3>{t('case.consents')}</h3>
              <ul class="plain">
                {view.consents.map((c) => (
                  <li key={c.consentId}>
                    {t('case.consentBy', {
                      who: personName(
                        i18n,
                        view.family.find((m) => m.subjectId === c.givenBy),
                      ),
                      with: i18n.list(c.sharingWith.map((o) => organisationName(names.data!, o))),
                    })}
                    {c.withdrawn && <span class="muted"> ({t('consentStatus.withdrawn')})</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {view.referrals.length > 0 && (
            <>
              <h3>{t('case.referrals')}</h3>
              <ul class="plain">
                {view.referrals.map((r) => (
                  <li key={r.referralId}>
                    {t('case.referralTo', {
                      to: organisationName(names.data!, r.to),
                      status: t(`referralStatus.${r.status}`),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      <section aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t('case.timeline')}</h2>
        <p class="hint">{t('case.timelineIntro')}</p>
        <ol class="timeline" reversed>
          {[...timeline].reverse().map((entry) => (
            <TimelineItem
              key={entry.eventId}
              entry={entry}
              obligations={byEvent.get(entry.eventId) ?? []}
              names={names.data!}
              i18n={i18n}
            />
          ))}
        </ol>
        {unmatched.length > 0 && (
          <>
            <h3>{t('case.otherObligations')}</h3>
            <ObligationList obligations={unmatched} names={names.data} i18n={i18n} />
          </>
        )}
      </section>
    </Page>
  );
}

function TimelineItem({
  entry,
  obligations,
  names,
  i18n,
}: {
  entry: TimelineEntry;
  obligations: readonly ObligationView[];
  names: Names;
  i18n: I18n;
}) {
  const { t } = i18n;
  const actor = entry.actorId ? names.staff.get(entry.actorId)?.name : undefined;
  const organisation = organisationName(names, entry.organisationId);
  const who = actor ? t('case.actorOf', { actor, organisation }) : organisation;
  const details = describeData(i18n, names, entry.type, entry.data);
  const protocolEvent = !['CaseOpened', 'PartnerJoined', 'PartnerLeft'].includes(entry.type);
  return (
    <li class="timeline-item" data-event-type={entry.type}>
      <h3>{eventTypeLabel(i18n, entry.type)}</h3>
      <p class="meta">
        <strong>{t('case.occurredOn', { date: i18n.date(entry.occurredOn) })}</strong> ·{' '}
        {who
          ? t('case.recordedBy', { date: i18n.timestamp(entry.recordedAt), who })
          : t('case.recorded', { date: i18n.timestamp(entry.recordedAt) })}
      </p>
      {details.length > 0 && (
        <dl class="facts inline">
          {details.map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {(obligations.length > 0 || protocolEvent) && (
        <div class="told">
          <h4>{t('case.told')}</h4>
          {obligations.length === 0 ? (
            <p class="muted">{t('case.toldNobody')}</p>
          ) : (
            <ObligationList obligations={obligations} names={names} i18n={i18n} />
          )}
        </div>
      )}
    </li>
  );
}

function ObligationList({
  obligations,
  names,
  i18n,
}: {
  obligations: readonly ObligationView[];
  names: Names;
  i18n: I18n;
}) {
  const { t } = i18n;
  return (
    <ul class="obligations">
      {obligations.map((o) => (
        <li
          key={o.id}
          class={`obligation obligation-${o.status}`}
          data-recipient={o.recipientOrganisationId}
        >
          <strong>{organisationName(names, o.recipientOrganisationId)}</strong>{' '}
          <span class={`badge badge-${o.status}`}>{t(statusKey(o.status))}</span>
          <span class="details">
            {[
              t('case.dueOn', { date: i18n.date(o.dueOn) }),
              o.acknowledgementDueOn &&
                o.status === 'open' &&
                t('case.ackDueOn', { date: i18n.date(o.acknowledgementDueOn) }),
              o.acknowledgedAt &&
                t('case.acknowledgedAt', { date: i18n.timestamp(o.acknowledgedAt) }),
              o.fulfilledOutsideOn &&
                t('case.fulfilledOutsideOn', { date: i18n.date(o.fulfilledOutsideOn) }),
              o.escalatedOn && t('case.escalatedOn', { date: i18n.date(o.escalatedOn) }),
              o.breachedOn && t('case.breachedOn', { date: i18n.date(o.breachedOn) }),
              ...o.deliveries.map((d) =>
                t('case.delivery', {
                  channel: i18n.label('deliveryChannel', d.channel),
                  status: i18n.label('deliveryStatus', d.status),
                }),
              ),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </li>
      ))}
    </ul>
  );
}
