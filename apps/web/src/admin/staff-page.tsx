import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { forgetReference, readUntil, reference } from '../api/reference.js';
import { ROLES, type Organisation, type StaffMember } from '../api/types.js';
import { MAX_LENGTH } from '../api/wire-input.js';
import {
  CheckboxGroup,
  ErrorSummary,
  Notice,
  SelectField,
  SubmitButton,
  TextField,
} from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { tooLongMessage } from '../validation.js';
import { may } from '../workspaces.js';
import { AdminLayout } from './admin-layout.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function StaffPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [organisationId, setOrganisationId] = useState(me.organisationId);
  const [version, setVersion] = useState(0);
  const loaded = useLoad(
    async () => ({
      organisations: await reference.organisations(),
      staff: await reference.staff(),
    }),
    [version],
  );
  const organisations = loaded.data
    ? [...loaded.data.organisations].sort((a, b) => a.name.localeCompare(b.name, 'fr'))
    : [];
  const staff = loaded.data?.staff.filter((s) => s.organisationId === organisationId) ?? [];
  return (
    <AdminLayout section="staff">
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <>
          {may.registerStaff(me.roles) && (
            <RegisterStaff
              organisations={
                me.roles.includes('admin')
                  ? organisations
                  : organisations.filter((o) => o.id === me.organisationId)
              }
              defaultOrganisation={me.organisationId}
              onRegistered={async (organisation, id) => {
                await readUntil(
                  () => {
                    forgetReference('/staff');
                    return reference.staff();
                  },
                  (staff) => staff.some((s) => s.id === id),
                );
                setOrganisationId(organisation);
                setVersion((v) => v + 1);
              }}
            />
          )}
          <section aria-labelledby="staff-list">
            <h2 id="staff-list">{t('admin.staff')}</h2>
            <SelectField
              name="organisationFilter"
              label={t('admin.staffOf')}
              value={organisationId}
              onChange={setOrganisationId}
              options={organisations.map((o) => ({ value: o.id, label: o.name }))}
              filter
            />
            <StaffTable staff={staff} />
          </section>
        </>
      )}
    </AdminLayout>
  );
}

function StaffTable({ staff }: { staff: readonly StaffMember[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <table class="data">
      <caption class="visually-hidden">{t('admin.staff')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.name')}</th>
          <th scope="col">{t('admin.email')}</th>
          <th scope="col">{t('admin.roles')}</th>
        </tr>
      </thead>
      <tbody>
        {staff.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>{s.email}</td>
            <td>{i18n.list(s.roles.map((r) => i18n.label('staffRole', r)))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RegisterStaff({
  organisations,
  defaultOrganisation,
  onRegistered,
}: {
  organisations: readonly Organisation[];
  defaultOrganisation: string;
  onRegistered: (organisationId: string, staffId: string) => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [organisationId, setOrganisationId] = useState(defaultOrganisation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const labels = {
    organisationId: t('admin.organisations'),
    name: t('admin.name'),
    email: t('admin.email'),
    roles: t('admin.roles'),
    password: t('admin.password'),
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, Message> = {};
    if (!organisationId) found.organisationId = { key: 'validation.required' };
    if (name.trim().length < 2) found.name = { key: 'validation.minLength', params: { n: 2 } };
    if (name.trim().length > MAX_LENGTH.staffName)
      found.name ??= tooLongMessage(MAX_LENGTH.staffName);
    if (!EMAIL.test(email.trim())) found.email = { key: 'validation.email' };
    if (email.trim().length > MAX_LENGTH.email) found.email ??= tooLongMessage(MAX_LENGTH.email);
    if (roles.length === 0) found.roles = { key: 'validation.atLeastOne' };
    if (password && password.length < 10)
      found.password = { key: 'validation.minLength', params: { n: 10 } };
    if (password.length > MAX_LENGTH.password)
      found.password ??= tooLongMessage(MAX_LENGTH.password);
    setErrors(found);
    setGeneral([]);
    setDone(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const registered = await api<{ id: string }>('POST', '/staff', {
        body: {
          organisationId,
          name: name.trim(),
          email: email.trim(),
          roles,
          ...(password ? { password } : {}),
        },
      });
      setDone(name.trim());
      setName('');
      setEmail('');
      setRoles([]);
      setPassword('');
      await onRegistered(organisationId, registered.id);
    } catch (error) {
      if (!(error instanceof ApiError)) return setGeneral([{ key: 'problem.network' }]);
      const byField = fieldErrorsOf(error.problem);
      const mapped = Object.fromEntries(
        Object.entries(byField).map(([field, message]) => [field.replace(/\.\d+$/, ''), message]),
      );
      setErrors(mapped);
      if (Object.keys(mapped).length === 0) setGeneral([problemMessage(error.problem)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="register-staff">
      <h2 id="register-staff">{t('admin.registerStaff')}</h2>
      {done && <Notice tone="success">{t('admin.staffRegistered', { name: done })}</Notice>}
      <ErrorSummary errors={errors} labels={labels} general={general} />
      <form class="form" noValidate onSubmit={(event) => void submit(event)}>
        <div class="row">
          <SelectField
            name="organisationId"
            label={labels.organisationId}
            value={organisationId}
            onChange={setOrganisationId}
            options={organisations.map((o) => ({ value: o.id, label: o.name }))}
            error={errors.organisationId}
          />
          <TextField
            name="name"
            label={labels.name}
            value={name}
            onInput={setName}
            maxLength={MAX_LENGTH.staffName}
            error={errors.name}
          />
          <TextField
            name="email"
            type="email"
            label={labels.email}
            value={email}
            onInput={setEmail}
            maxLength={MAX_LENGTH.email}
            error={errors.email}
          />
        </div>
        <CheckboxGroup
          name="roles"
          label={labels.roles}
          values={roles}
          onChange={setRoles}
          options={ROLES.map((r) => ({ value: r, label: i18n.label('staffRole', r) }))}
          error={errors.roles}
        />
        <TextField
          name="password"
          type="password"
          autoComplete="new-password"
          label={labels.password}
          hint={t('admin.passwordHint')}
          value={password}
          onInput={setPassword}
          maxLength={MAX_LENGTH.password}
          error={errors.password}
          optional
        />
        <SubmitButton
          busy={busy}
          label={t('admin.registerStaff')}
          busyLabel={t('event.submitting')}
        />
      </form>
    </section>
  );
}
