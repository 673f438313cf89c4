import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { reference } from '../api/reference.js';
import { formattedBelgianPhone, type Notification } from '@relais/wire';
import {
  describeData,
  eventTypeLabel,
  namesOf,
  organisationName,
  personName,
  type Names,
} from '../cases/describe.js';
import { Notice, useText } from '../components/forms.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import { problemMessage, type Message } from '../problems.js';
import { Link, navigate, useLocation } from '../router.js';
import { useMe } from '../session.js';
import { ReferralQueue } from '../cases/referral-queue.js';
import { mayUse } from '../workspaces.js';

/** How often the inbox asks for news: new notifications show up without reloading. */
export const POLL_INTERVAL_MS = 3000;

type Scope = 'organisation' | 'mine';

/** Polls `GET /inbox` while the page is open; tells (politely) how many arrived since. */
function usePolledInbox(scope: Scope) {
  const { t } = useI18n();
  const [items, setItems] = useState<Notification[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [updatedAt, setUpdatedAt] = useState<string | undefined>();
  const [news, setNews] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let known: Set<string> | undefined;
    setItems(undefined);
    const poll = async () => {
      if (!document.hidden || known === undefined) {
        try {
          const list = await api<Notification[]>(
            'GET',
            scope === 'mine' ? '/inbox?scope=mine' : '/inbox',
          );
          if (stopped) return;
          const seen = known;
          const arrived = seen ? list.filter((n) => !seen.has(n.id)).length : 0;
          if (arrived > 0) setNews(t('inbox.newArrived', { n: arrived }));
          known = new Set(list.map((n) => n.id));
          setItems(list);
          setError(undefined);
          setUpdatedAt(new Date().toISOString());
        } catch (failure) {
          if (stopped) return;
          setError(failure);
        }
      }
      timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `t` changes with the language: the polling need not restart for it.
  }, [scope, attempt]);

  return { items, setItems, error, updatedAt, news, retry: () => setAttempt((n) => n + 1) };
}

export function InboxPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { query } = useLocation();
  const scope: Scope = query.get('scope') === 'mine' ? 'mine' : 'organisation';
  const inbox = usePolledInbox(scope);
  const caseWork = mayUse(me.roles, 'cases');
  const context = useLoad(async () => {
    const [organisations, communes] = await Promise.all([
      reference.organisations(),
      reference.communes(),
    ]);
    return { names: namesOf(organisations, communes, []) };
  }, []);
  const [acknowledgedHere, setAcknowledgedHere] = useState<ReadonlySet<string>>(new Set());

  const items = inbox.items?.map((n) =>
    acknowledgedHere.has(n.id) && n.status === 'open'
      ? { ...n, status: 'acknowledged' as const }
      : n,
  );
  const open = items?.filter((n) => n.status === 'open').length ?? 0;

  return (
    <Page title={t('inbox.title')} intro={t('inbox.intro')}>
      <fieldset class="scope">
        <legend>{t('inbox.scope')}</legend>
        {(['organisation', 'mine'] as const).map((value) => (
          <span class="radio" key={value}>
            <input
              type="radio"
              name="scope"
              id={`scope-${value}`}
              value={value}
              checked={scope === value}
              onChange={() =>
                navigate(value === 'mine' ? '/inbox?scope=mine' : '/inbox', { replace: true })
              }
            />
            <label for={`scope-${value}`}>{t(`inbox.scope.${value}`)}</label>
          </span>
        ))}
      </fieldset>
      <div class="visually-hidden" role="status" aria-live="polite">
        {inbox.news}
      </div>
      {caseWork && <ReferralQueue sent />}
      {inbox.error !== undefined && <LoadError error={inbox.error} retry={inbox.retry} />}
      {!items || !context.data ? (
        inbox.error === undefined && <Loading />
      ) : (
        <>
          <p class="summary">
            <strong>{t('inbox.open', { n: open })}</strong>
            {inbox.updatedAt && (
              <span class="muted">
                {' '}
                · {t('inbox.lastUpdate', { time: i18n.timestamp(inbox.updatedAt).slice(11) })}
              </span>
            )}
          </p>
          {items.length === 0 ? (
            <p>{t('inbox.empty')}</p>
          ) : (
            <ul class="notifications">
              {items.map((n) => (
                <NotificationItem
                  key={n.id}
                  notification={n}
                  names={context.data!.names}
                  linkToCase={caseWork}
                  i18n={i18n}
                  onAcknowledged={() => setAcknowledgedHere((done) => new Set([...done, n.id]))}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}

function NotificationItem({
  notification: n,
  names,
  linkToCase,
  i18n,
  onAcknowledged,
}: {
  notification: Notification;
  names: Names;
  linkToCase: boolean;
  i18n: I18n;
  onAcknowledged: () => void;
}) {
  const { t } = i18n;
  const text = useText();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Message | undefined>();
  const [justDone, setJustDone] = useState(false);
  const confirmation = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (justDone) confirmation.current?.focus();
  }, [justDone]);

  const acknowledge = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await api('POST', `/notifications/${encodeURIComponent(n.id)}/acknowledge`);
      onAcknowledged();
      setJustDone(true);
    } catch (error) {
      setProblem(
        error instanceof ApiError ? problemMessage(error.problem) : { key: 'problem.network' },
      );
    } finally {
      setBusy(false);
    }
  };

  const caseLabel = t('inbox.case', { reference: n.caseReference ?? '' });
  const opens = linkToCase && n.caseAccess !== 'none';
  const titleId = `notification-${n.id}`;
  const shared = describeData(i18n, names, n.eventType, n.data);
  return (
    <li
      class={`notification notification-${n.status}${n.breachedOn ? ' breached' : ''}`}
      data-notification-id={n.id}
      data-case-id={n.caseId}
    >
      <article aria-labelledby={titleId}>
        <h2 id={titleId}>
          {eventTypeLabel(i18n, n.eventType)} —{' '}
          {opens ? <Link href={`/cases/${n.caseId}`}>{caseLabel}</Link> : caseLabel}
        </h2>
        {n.family.length > 0 && (
          <p class="family">
            {t('inbox.family', { names: n.family.map((m) => personName(i18n, m)).join(', ') })}
          </p>
        )}
        <p class="badges">
          <span class={`badge badge-${n.status}`}>{t(`obligationStatus.${n.status}`)}</span>
          {n.assignedToMe && <span class="badge badge-mine">{t('inbox.assignedToMe')}</span>}
          {n.escalatedOn && (
            <span class="badge badge-escalated">
              {t('inbox.escalated', { date: i18n.date(n.escalatedOn) })}
            </span>
          )}
          {n.breachedOn && (
            <span class="badge badge-breached">
              {t('inbox.breached', { date: i18n.date(n.breachedOn) })}
            </span>
          )}
          {n.fulfilledOutsideOn && (
            <span class="badge">
              {t('inbox.fulfilledOutside', { date: i18n.date(n.fulfilledOutsideOn) })}
            </span>
          )}
        </p>
        <p class="meta">
          {t('inbox.from', { organisation: organisationName(names, n.from) })} ·{' '}
          {t('inbox.occurredOn', { date: i18n.date(n.occurredOn) })} ·{' '}
          {t('inbox.received', { date: i18n.timestamp(n.receivedAt) })}
        </p>
        <p class="meta">
          {t('inbox.dueOn', { date: i18n.date(n.dueOn) })}
          {n.acknowledgementDueOn && n.status === 'open' && (
            <>
              {' '}
              · <strong>{t('inbox.ackDueOn', { date: i18n.date(n.acknowledgementDueOn) })}</strong>
            </>
          )}
          {n.acknowledgedAt && (
            <> · {t('inbox.acknowledgedAt', { date: i18n.timestamp(n.acknowledgedAt) })}</>
          )}
        </p>
        {shared.length > 0 && (
          <dl class="facts inline">
            {shared.map(([label, value]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
        )}
        {linkToCase && n.caseAccess === 'referral' && (
          <Notice tone="info">{t('inbox.referralWaiting')}</Notice>
        )}
        {linkToCase && n.caseAccess === 'none' && (
          <Notice tone="info">
            {t('inbox.notShared', { organisation: organisationName(names, n.from) })}
          </Notice>
        )}
        {n.contacts.length > 0 && (
          <section class="contacts" aria-labelledby={`${titleId}-contacts`}>
            <h3 id={`${titleId}-contacts`}>
              {t(n.contacts.length === 1 ? 'inbox.contact' : 'inbox.contacts')}
            </h3>
            <ul>
              {n.contacts.map((contact) => (
                <li key={contact.email}>
                  {contact.name}
                  {contact.organisationId !== n.from &&
                    ` (${organisationName(names, contact.organisationId)})`}
                  {' — '}
                  <a href={`mailto:${contact.email}`}>{contact.email}</a>
                  {contact.phone && (
                    <>
                      {' — '}
                      <a href={`tel:${contact.phone}`}>{formattedBelgianPhone(contact.phone)}</a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        {problem && <Notice tone="error">{text(problem)}</Notice>}
        {justDone && (
          <p class="confirmation" role="status" tabIndex={-1} ref={confirmation}>
            {t('inbox.acknowledged')}
          </p>
        )}
        {n.status === 'open' && (
          <button
            type="button"
            class="primary"
            id={`acknowledge-${n.id}`}
            aria-disabled={busy ? 'true' : undefined}
            aria-describedby={titleId}
            onClick={() => void acknowledge()}
          >
            {busy ? t('inbox.acknowledging') : t('inbox.acknowledge')}
          </button>
        )}
      </article>
    </li>
  );
}
