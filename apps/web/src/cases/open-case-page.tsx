import { useRef, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey } from '../api/client.js';
import {
  type CommuneCompetence,
  type LoggedResult,
  MAX_LENGTH,
  type OpenCasePreview,
  type StaffView,
} from '@relais/wire';
import { reference } from '../api/reference.js';
import {
  CheckboxGroup,
  DateField,
  ErrorSummary,
  Notice,
  SelectField,
  SubmitButton,
  TextField,
} from '../components/forms.js';
import { LoadError, Loading, Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { setFlash } from '../flash.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { Link, navigate } from '../router.js';
import { useMe } from '../session.js';
import {
  emptyMember,
  MAX_MEMBERS,
  OPENING_LEGAL_BASES,
  openCaseBody,
  SUBJECT_ROLES,
  validateOpenCase,
  type MemberValues,
  type OpenCaseValues,
} from './open-case.js';

export function OpenCasePage() {
  const { t } = useI18n();
  const me = useMe();
  const loaded = useLoad(
    async () => ({ communes: await reference.communes(), staff: await reference.staff() }),
    [],
  );
  return (
    <Page title={t('openCase.title')} intro={t('openCase.intro')}>
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <OpenCaseForm
          communes={loaded.data.communes}
          staff={loaded.data.staff.filter((s) => s.organisationId === me.organisationId)}
          territory={
            me.organisation?.territory.kind === 'communes' ? me.organisation.territory.communes : []
          }
          staffId={me.staffId}
        />
      )}
    </Page>
  );
}

function OpenCaseForm({
  communes,
  staff,
  territory,
  staffId,
}: {
  communes: readonly CommuneCompetence[];
  staff: readonly StaffView[];
  territory: readonly string[];
  staffId: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState<OpenCaseValues>({
    occurredOn: '',
    residenceCommune: territory.length === 1 ? (territory[0] ?? '') : '',
    legalBasis: 'legal_obligation',
    assignedStaffIds: [staffId],
    members: [emptyMember()],
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);
  // One key per body: a retry of the same body is recognised, a changed body is a new request.
  const idempotency = useRef<{ signature: string; key: string } | undefined>();
  // The open cases a NISS of this body already has: shown once, then the worker goes on or not.
  const [duplicates, setDuplicates] = useState<
    { signature: string; openCases: OpenCasePreview['openCases'] } | undefined
  >();

  const set = <K extends keyof OpenCaseValues>(name: K, value: OpenCaseValues[K]) =>
    setValues((previous) => ({ ...previous, [name]: value }));
  const setMember = (index: number, name: keyof MemberValues, value: string) =>
    setValues((previous) => ({
      ...previous,
      members: previous.members.map((m, i) => (i === index ? { ...m, [name]: value } : m)),
    }));

  const memberLabels = (i: number): Record<string, string> => {
    const at = `familyMembers.${i}`;
    const who = t('openCase.member', { n: i + 1 });
    return {
      [`${at}.role`]: t('openCase.memberField', { member: who, field: t('openCase.role') }),
      [`${at}.firstName`]: t('openCase.memberField', {
        member: who,
        field: t('openCase.firstName'),
      }),
      [`${at}.lastName`]: t('openCase.memberField', { member: who, field: t('openCase.lastName') }),
      [`${at}.birthDate`]: t('openCase.memberField', {
        member: who,
        field: t('openCase.birthDate'),
      }),
      [`${at}.niss`]: t('openCase.memberField', { member: who, field: t('openCase.niss') }),
      [`${at}.address.street`]: t('openCase.memberField', {
        member: who,
        field: t('openCase.street'),
      }),
      [`${at}.address.postalCode`]: t('openCase.memberField', {
        member: who,
        field: t('openCase.postalCode'),
      }),
      [`${at}.address.municipality`]: t('openCase.memberField', {
        member: who,
        field: t('openCase.municipality'),
      }),
    };
  };
  const labels: Record<string, string> = {
    occurredOn: t('openCase.occurredOn'),
    residenceCommune: t('openCase.residenceCommune'),
    legalBasis: t('openCase.legalBasis'),
    assignedStaffIds: t('openCase.assigned'),
    ...values.members.reduce<Record<string, string>>(
      (all, _, i) => ({ ...all, ...memberLabels(i) }),
      {},
    ),
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const local = validateOpenCase(values);
    setErrors(local);
    setGeneral([]);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const body = openCaseBody(values);
    const signature = JSON.stringify(body);
    if (idempotency.current?.signature !== signature)
      idempotency.current = { signature, key: newIdempotencyKey() };
    try {
      const withNiss = values.members.some((m) => m.niss.trim() !== '');
      if (withNiss && duplicates?.signature !== signature) {
        const preview = await api<OpenCasePreview>('POST', '/cases/preview', { body });
        if (preview.openCases.length > 0) {
          setDuplicates({ signature, openCases: preview.openCases });
          return;
        }
      }
      const result = await api<LoggedResult>('POST', '/cases', {
        body,
        headers: { 'Idempotency-Key': idempotency.current.key },
      });
      setFlash({ key: 'case.saved', params: { type: i18n.label('eventType', 'CaseOpened') } });
      navigate(`/cases/${result.caseId}`);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        setGeneral([{ key: 'problem.network' }]);
        return;
      }
      const byField = fieldErrorsOf(error.problem);
      const known = Object.fromEntries(Object.entries(byField).filter(([f]) => f in labels));
      const others = Object.entries(byField)
        .filter(([f]) => !(f in labels))
        .map(([, message]) => message);
      setErrors(known);
      setGeneral(
        others.length > 0 || Object.keys(known).length > 0
          ? others
          : [problemMessage(error.problem)],
      );
    } finally {
      setBusy(false);
    }
  };

  // Shown while the form still holds the body it was found for.
  const warned =
    duplicates && duplicates.signature === JSON.stringify(openCaseBody(values))
      ? duplicates
      : undefined;

  const communeOptions = [...communes]
    .sort(
      (a, b) =>
        Number(!territory.includes(a.ins)) - Number(!territory.includes(b.ins)) ||
        a.name.localeCompare(b.name, 'fr'),
    )
    .map((c) => ({ value: c.ins, label: `${c.name} (${c.ins})` }));

  return (
    <>
      <ErrorSummary errors={errors} labels={labels} general={general} />
      <form noValidate onSubmit={(event) => void onSubmit(event)} class="form">
        <DateField
          name="occurredOn"
          label={labels.occurredOn ?? ''}
          value={values.occurredOn}
          onInput={(v) => set('occurredOn', v)}
          error={errors.occurredOn}
        />
        <SelectField
          name="residenceCommune"
          label={labels.residenceCommune ?? ''}
          value={values.residenceCommune}
          onChange={(v) => set('residenceCommune', v)}
          options={communeOptions}
          placeholder
          error={errors.residenceCommune}
        />
        <SelectField
          name="legalBasis"
          label={labels.legalBasis ?? ''}
          hint={t('openCase.legalBasisHint')}
          value={values.legalBasis}
          onChange={(v) => set('legalBasis', v)}
          options={OPENING_LEGAL_BASES.map((b) => ({
            value: b,
            label: i18n.label('legalBasis', b),
          }))}
          error={errors.legalBasis}
        />
        <CheckboxGroup
          name="assignedStaffIds"
          label={labels.assignedStaffIds ?? ''}
          values={values.assignedStaffIds}
          onChange={(v) => set('assignedStaffIds', v)}
          options={staff.map((s) => ({ value: s.id, label: s.name }))}
          optional
          error={errors.assignedStaffIds}
        />
        <h2>{t('openCase.family')}</h2>
        {values.members.map((member, i) => {
          const at = `familyMembers.${i}`;
          return (
            <fieldset class="member" key={i}>
              <legend>{t('openCase.member', { n: i + 1 })}</legend>
              <SelectField
                name={`${at}.role`}
                label={t('openCase.role')}
                value={member.role}
                onChange={(v) => setMember(i, 'role', v)}
                options={SUBJECT_ROLES.map((r) => ({ value: r, label: i18n.label('role', r) }))}
                error={errors[`${at}.role`]}
              />
              <div class="row">
                <TextField
                  name={`${at}.firstName`}
                  label={t('openCase.firstName')}
                  value={member.firstName}
                  onInput={(v) => setMember(i, 'firstName', v)}
                  maxLength={MAX_LENGTH.personName}
                  error={errors[`${at}.firstName`]}
                />
                <TextField
                  name={`${at}.lastName`}
                  label={t('openCase.lastName')}
                  value={member.lastName}
                  onInput={(v) => setMember(i, 'lastName', v)}
                  maxLength={MAX_LENGTH.personName}
                  error={errors[`${at}.lastName`]}
                />
              </div>
              <div class="row">
                <DateField
                  name={`${at}.birthDate`}
                  label={t('openCase.birthDate')}
                  value={member.birthDate}
                  onInput={(v) => setMember(i, 'birthDate', v)}
                  error={errors[`${at}.birthDate`]}
                  optional
                />
                <TextField
                  name={`${at}.niss`}
                  label={t('openCase.niss')}
                  hint={t('openCase.nissHint')}
                  inputMode="numeric"
                  value={member.niss}
                  onInput={(v) => setMember(i, 'niss', v)}
                  maxLength={MAX_LENGTH.niss}
                  error={errors[`${at}.niss`]}
                  optional
                />
              </div>
              <div class="row">
                <TextField
                  name={`${at}.address.street`}
                  label={t('openCase.street')}
                  value={member.street}
                  onInput={(v) => setMember(i, 'street', v)}
                  maxLength={MAX_LENGTH.street}
                  error={errors[`${at}.address.street`]}
                  optional
                />
                <TextField
                  name={`${at}.address.postalCode`}
                  label={t('openCase.postalCode')}
                  value={member.postalCode}
                  onInput={(v) => setMember(i, 'postalCode', v)}
                  maxLength={MAX_LENGTH.postalCode}
                  error={errors[`${at}.address.postalCode`]}
                  optional
                />
                <TextField
                  name={`${at}.address.municipality`}
                  label={t('openCase.municipality')}
                  value={member.municipality}
                  onInput={(v) => setMember(i, 'municipality', v)}
                  maxLength={MAX_LENGTH.municipality}
                  error={errors[`${at}.address.municipality`]}
                  optional
                />
              </div>
              {values.members.length > 1 && (
                <button
                  type="button"
                  onClick={() =>
                    set(
                      'members',
                      values.members.filter((_, j) => j !== i),
                    )
                  }
                >
                  {t('openCase.removeMember', { n: i + 1 })}
                </button>
              )}
            </fieldset>
          );
        })}
        {values.members.length < MAX_MEMBERS && (
          <p>
            <button
              type="button"
              onClick={() => set('members', [...values.members, emptyMember()])}
            >
              {t('openCase.addMember')}
            </button>
          </p>
        )}
        {warned && (
          <Notice tone="warning" focus>
            <p>
              <strong>{t('openCase.duplicate.title')}</strong>
            </p>
            <p>{t('openCase.duplicate.intro')}</p>
            <ul>
              {warned.openCases.map((c) => (
                <li key={`${c.member}-${c.caseId}`}>
                  <Link href={`/cases/${c.caseId}`}>
                    {t('openCase.duplicate.case', {
                      member: t('openCase.member', { n: c.member + 1 }),
                      reference: c.reference,
                      date: i18n.date(c.openedOn),
                    })}
                  </Link>
                </li>
              ))}
            </ul>
            <p>{t('openCase.duplicate.goOn')}</p>
          </Notice>
        )}
        <div class="actions">
          <SubmitButton
            busy={busy}
            label={t(warned ? 'openCase.duplicate.confirm' : 'openCase.submit')}
            busyLabel={t('event.submitting')}
          />
          <Link href="/cases" class="button">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}
