import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey } from '../api/client.js';
import type { LoggedResult, OrganisationView, Simulation } from '@relais/wire';
import {
  CheckboxGroup,
  DateField,
  ErrorSummary,
  MultiSelectField,
  Notice,
  SelectField,
  SubmitButton,
  type Option,
} from '../components/forms.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { setFlash } from '../flash.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import {
  fieldErrorsOf,
  problemMessage,
  splitByFields,
  type FieldErrors,
  type Message,
} from '../problems.js';
import { Link, navigate, useLocation } from '../router.js';
import { useMe } from '../session.js';
import { CaseNotFound, isNotFound, loadCase, loadNames, type CaseData } from './case-page.js';
import {
  availableTypes,
  CHOICES,
  EVENT_FIELDS,
  eventBody,
  validateEvent,
  type FieldSpec,
  type FormValue,
  type LoggableType,
} from './event-forms.js';
import {
  communeName,
  describeData,
  eventTypeLabel,
  organisationName,
  personName,
  type Names,
} from './describe.js';
import { compareNames } from '../i18n/collation.js';

interface FormData extends CaseData {
  readonly names: Names;
}

/** `/cases/:id/events/new?type=…`: one form per event type, a dry run, then the write. */
export function EventFormPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const loaded = useLoad(async (): Promise<FormData> => {
    const data = await loadCase(id);
    return { ...data, names: await loadNames(data.view.family) };
  }, [id]);
  if (loaded.error) {
    return isNotFound(loaded.error) ? (
      <CaseNotFound />
    ) : (
      <Page title={t('event.title')}>
        <LoadError error={loaded.error} retry={loaded.reload} />
      </Page>
    );
  }
  if (!loaded.data) {
    return (
      <Page title={t('event.title')}>
        <Loading />
      </Page>
    );
  }
  return (
    <EventForm
      data={loaded.data}
      requestedType={query.get('type')}
      requestedReferral={query.get('referralId')}
    />
  );
}

interface Preview {
  readonly signature: string;
  readonly simulations: readonly Simulation[];
  /** The dry run could not run (a server error, the network): the write may still go on. */
  readonly unavailable: boolean;
}

function EventForm({
  data,
  requestedType,
  requestedReferral,
}: {
  data: FormData;
  requestedType: string | null;
  /** The referral the "accept" or "decline" link came from: already chosen. */
  requestedReferral: string | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const { view, names } = data;
  const types = availableTypes(view, me.organisationId, me.organisation?.kind);
  const [type, setType] = useState<LoggableType | undefined>(
    () => types.find((candidate) => candidate === requestedType) ?? types[0],
  );
  const [values, setValues] = useState<Record<string, FormValue>>(() => ({
    occurredOn: '',
    ...(requestedReferral ? { referralId: requestedReferral } : {}),
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [preview, setPreview] = useState<Preview | undefined>();
  const [busy, setBusy] = useState<'preview' | 'submit' | undefined>();
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const idempotency = useRef<{ signature: string; key: string } | undefined>();

  const signature = JSON.stringify([type, values]);
  const previewIsCurrent = preview?.signature === signature;

  useEffect(() => {
    if (preview) previewHeading.current?.focus();
  }, [preview]);

  if (!type) {
    return (
      <Page title={t('event.title')}>
        <Notice tone="info">{t('event.noneForKind')}</Notice>
        <p>
          <Link href={`/cases/${view.id}`}>{t('app.back')}</Link>
        </p>
      </Page>
    );
  }

  const specs = EVENT_FIELDS[type];
  const fieldNames = ['occurredOn', ...specs.map((s) => s.name)];
  const labels: Record<string, string> = Object.fromEntries(
    fieldNames.map((name) => [
      name,
      name === 'occurredOn' ? t('event.occurredOn') : i18n.label('field', name),
    ]),
  );
  const set = (name: string, value: FormValue) =>
    setValues((previous) =>
      // Staff belong to the organisation chosen: another one, another list.
      name === 'organisationId'
        ? { ...previous, organisationId: value, assignedStaffIds: [] }
        : { ...previous, [name]: value },
    );

  const chooseType = (next: string) => {
    const chosen = types.find((candidate) => candidate === next);
    if (!chosen) return;
    setType(chosen);
    setValues((previous) => ({ occurredOn: previous.occurredOn ?? '' }));
    setErrors({});
    setGeneral([]);
    setPreview(undefined);
    navigate(`/cases/${view.id}/events/new?type=${chosen}`, { replace: true });
  };

  /** A refusal of the API (400 or 422), at its fields where it names them, else above the form. */
  const showRefusal = (error: ApiError) => {
    const { atFields, elsewhere } = splitByFields(fieldErrorsOf(error.problem), fieldNames);
    setErrors(atFields);
    setGeneral(
      elsewhere.length > 0 || Object.keys(atFields).length > 0
        ? elsewhere
        : [problemMessage(error.problem)],
    );
  };

  /** The write's own dry run: refused as the write would be, or what it would oblige. */
  const runPreview = async (body: Record<string, unknown>) => {
    try {
      const simulations = await api<Simulation[]>(
        'POST',
        `/cases/${encodeURIComponent(view.id)}/events/preview`,
        { body },
      );
      setPreview({ signature, simulations, unavailable: false });
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        setPreview(undefined);
        showRefusal(error);
        return;
      }
      setPreview({ signature, simulations: [], unavailable: true });
    }
  };

  const submit = async (body: Record<string, unknown>) => {
    if (idempotency.current?.signature !== signature)
      idempotency.current = { signature, key: newIdempotencyKey() };
    try {
      await api<LoggedResult>('POST', `/cases/${encodeURIComponent(view.id)}/events`, {
        body,
        headers: { 'Idempotency-Key': idempotency.current.key, 'If-Match': `"${view.version}"` },
      });
      setFlash({ key: 'case.saved', params: { type: eventTypeLabel(i18n, type) } });
      // Declined, the case is no longer the organisation's to open: back to its cases.
      navigate(type === 'ReferralDeclined' ? '/cases' : `/cases/${view.id}`);
    } catch (error) {
      setPreview(undefined);
      if (!(error instanceof ApiError)) {
        setGeneral([{ key: 'problem.network' }]);
        return;
      }
      showRefusal(error);
    }
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const local = validateEvent(type, values, { openedOn: view.openedOn });
    setErrors(local);
    setGeneral([]);
    if (Object.keys(local).length > 0) {
      setPreview(undefined);
      return;
    }
    const body = eventBody(type, values);
    setBusy(previewIsCurrent ? 'submit' : 'preview');
    try {
      if (previewIsCurrent) await submit(body);
      else await runPreview(body);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Page title={t('event.title')} intro={t('event.forCase', { reference: view.reference })}>
      <p>
        <Link href={`/cases/${view.id}`}>{t('app.back')}</Link>
      </p>
      <ErrorSummary errors={errors} labels={labels} general={general} />
      <form noValidate onSubmit={(event) => void onSubmit(event)} class="form">
        <SelectField
          name="type"
          label={t('event.type')}
          value={type}
          onChange={chooseType}
          options={types.map((candidate) => ({
            value: candidate,
            label: eventTypeLabel(i18n, candidate),
          }))}
        />
        <DateField
          name="occurredOn"
          label={t('event.occurredOn')}
          value={String(values.occurredOn ?? '')}
          onInput={(value) => set('occurredOn', value)}
          error={errors.occurredOn}
        />
        {specs.map((spec) => (
          <EventField
            key={`${type}-${spec.name}`}
            spec={spec}
            label={labels[spec.name] ?? spec.name}
            values={values}
            set={set}
            error={errors[spec.name]}
            data={data}
            i18n={i18n}
            organisationId={me.organisationId}
          />
        ))}
        {preview && previewIsCurrent && (
          <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title" tabIndex={-1} ref={previewHeading}>
              {t('event.previewTitle')}
            </h2>
            <PreviewBody preview={preview} names={names} i18n={i18n} eventType={type} />
          </section>
        )}
        {preview && !previewIsCurrent && <Notice tone="warning">{t('event.previewStale')}</Notice>}
        <div class="actions">
          <SubmitButton
            busy={busy !== undefined}
            label={previewIsCurrent ? t('event.submit') : t('event.preview')}
            busyLabel={busy === 'submit' ? t('event.submitting') : t('event.previewing')}
          />
          <Link href={`/cases/${view.id}`} class="button">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </Page>
  );
}

function PreviewBody({
  preview,
  names,
  i18n,
  eventType,
}: {
  preview: Preview;
  names: Names;
  i18n: I18n;
  eventType: string;
}) {
  const { t } = i18n;
  if (preview.unavailable) return <p>{t('event.previewUnavailable')}</p>;
  const inForce = preview.simulations.filter((s) => s.version !== null);
  if (inForce.length === 0) return <p>{t('event.previewNoProtocol')}</p>;
  const obligations = inForce.flatMap((s) => s.obligations);
  return (
    <>
      {obligations.length === 0 ? (
        <p>{t('event.previewNobody')}</p>
      ) : (
        <ul class="preview-list">
          {obligations.map((o) => {
            const shared = describeData(i18n, names, eventType, o.sharedData).map(
              ([label]) => label,
            );
            if ('occurredOn' in o.sharedData) shared.unshift(t('field.occurredOn'));
            const blocked = o.legalBasis !== 'ok';
            return (
              <li
                key={`${o.ruleId}-${o.recipientOrganisationId}`}
                class={blocked ? 'blocked' : undefined}
                data-recipient={o.recipientOrganisationId}
              >
                <strong>
                  {t('event.previewLine', {
                    recipient: organisationName(names, o.recipientOrganisationId),
                    date: i18n.date(o.dueOn),
                  })}
                </strong>
                {o.ruleTitle && <span class="muted"> — {o.ruleTitle}</span>}
                <br />
                {blocked ? (
                  <span class="warning-text">{t('event.previewBlocked')}</span>
                ) : (
                  <>
                    {o.acknowledgementWithinWorkingDays === null
                      ? t('event.previewNoAck')
                      : t('event.previewAck', { n: o.acknowledgementWithinWorkingDays })}
                    {' · '}
                    {t('event.previewShared', {
                      fields: shared.length > 0 ? i18n.list(shared) : t('event.previewSharedNone'),
                    })}
                    {o.shareAssignedWorkerContact && (
                      <>
                        {' · '}
                        {o.contacts.length > 0
                          ? t('event.previewContacts', {
                              names: i18n.list(o.contacts.map((c) => c.name)),
                            })
                          : t('event.previewNoContact')}
                      </>
                    )}
                    {' · '}
                    {i18n.list(o.channels.map((c) => i18n.label('deliveryChannel', c)))}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p class="hint">
        {inForce
          .map((s) =>
            t('event.previewProtocol', { protocol: s.protocolId, version: s.version ?? '' }),
          )
          .join(' · ')}
      </p>
    </>
  );
}

const byKindAndName = (a: OrganisationView, b: OrganisationView) =>
  a.kind.localeCompare(b.kind) || compareNames(a.name, b.name);

function EventField({
  spec,
  label,
  values,
  set,
  error,
  data,
  i18n,
  organisationId,
}: {
  spec: FieldSpec;
  label: string;
  values: Readonly<Record<string, FormValue>>;
  set: (name: string, value: FormValue) => void;
  error: Message | undefined;
  data: FormData;
  i18n: I18n;
  organisationId: string;
}) {
  const { t } = i18n;
  const { view, timeline, names } = data;
  const value = values[spec.name];
  const single = typeof value === 'string' ? value : '';
  const several = Array.isArray(value) ? (value as readonly string[]) : [];
  const common = { name: spec.name, label, error, optional: spec.optional ?? false };
  const select = (options: readonly Option[], placeholder = true) => (
    <SelectField
      {...common}
      value={single}
      onChange={(v) => set(spec.name, v)}
      options={options}
      placeholder={placeholder}
    />
  );
  const activePartners = new Set(
    view.partners.filter((p) => p.status === 'active').map((p) => p.organisationId),
  );
  const organisations = [...names.organisations.values()].sort(byKindAndName);
  const organisationOptions = (keep: (o: OrganisationView) => boolean) =>
    organisations.filter(keep).map((o) => ({ value: o.id, label: o.name }));

  const { type } = spec;
  switch (type.kind) {
    case 'date':
      return <DateField {...common} value={single} onInput={(v) => set(spec.name, v)} />;
    case 'choice': {
      const choice = CHOICES[type.choice];
      return select(
        (choice.values as readonly string[]).map((v) => ({
          value: v,
          label: i18n.label(choice.labels, v),
        })),
      );
    }
    case 'organisation':
      return select(
        organisationOptions((o) =>
          spec.name === 'sharedWith' ? o.id !== organisationId : !activePartners.has(o.id),
        ),
      );
    case 'organisations':
      return (
        <MultiSelectField
          {...common}
          hint={t('event.organisationsHint')}
          values={several}
          onChange={(v) => set(spec.name, v)}
          options={organisationOptions((o) => o.id !== organisationId)}
        />
      );
    case 'staff': {
      const of = type.of === 'mine' ? organisationId : String(values.organisationId ?? '');
      const staff = [...names.staff.values()].filter(
        (s) => of !== '' && s.organisationId === of && s.active,
      );
      return (
        <CheckboxGroup
          {...common}
          hint={t(spec.optional ? 'event.staffHint' : 'event.reassignHint')}
          values={several}
          onChange={(v) => set(spec.name, v)}
          options={staff.map((s) => ({
            value: s.id,
            label: `${s.name} (${i18n.list(s.roles.map((r) => i18n.label('staffRole', r)))})`,
          }))}
        />
      );
    }
    case 'subject':
      return select(
        view.family
          .filter((m) => !m.erased)
          .map((m) => ({
            value: m.subjectId,
            label: `${personName(i18n, m)} — ${i18n.label('role', m.role)}`,
          })),
      );
    case 'consent': {
      const active = view.consents.filter((c) => !c.withdrawn);
      return select(
        active.map((c) => ({
          value: c.consentId,
          label: t('case.consentBy', {
            who: personName(
              i18n,
              view.family.find((m) => m.subjectId === c.givenBy),
            ),
            with: i18n.list(c.sharingWith.map((o) => organisationName(names, o))),
          }),
        })),
      );
    }
    case 'referral':
      return select(
        view.referrals
          .filter((r) => r.to === organisationId && r.status === 'sent')
          .map((r) => ({
            value: r.referralId,
            label:
              [
                r.from ? organisationName(names, r.from) : '',
                r.reason ? i18n.label('referralReason', r.reason) : '',
              ]
                .filter(Boolean)
                .join(' — ') || r.referralId,
          })),
      );
    case 'commune':
      return select(
        [...names.communes.values()]
          .filter((c) => c.ins !== view.residenceCommune.ins)
          .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
          .map((c) => ({ value: c.ins, label: communeName(names, c.ins) })),
      );
    case 'caseEvent':
      return (
        <SelectField
          {...common}
          value={single}
          onChange={(v) => set(spec.name, v)}
          placeholder
          placeholderLabel={t('event.aboutEventNone')}
          options={[...timeline].reverse().map((e) => ({
            value: e.eventId,
            label: `${eventTypeLabel(i18n, e.type)} — ${i18n.date(e.occurredOn)}`,
          }))}
        />
      );
    default: {
      const never: never = type;
      return never;
    }
  }
}
