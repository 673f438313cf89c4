import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { forgetReference, readUntil, reference } from '../api/reference.js';
import {
  belgianPhoneNumber,
  formattedBelgianPhone,
  MAX_LENGTH,
  type Me,
  type OrganisationView,
  type StaffRole,
  type StaffView,
} from '@relais/wire';
import {
  CheckboxGroup,
  ErrorSummary,
  Notice,
  SelectField,
  SubmitButton,
  TextField,
  useText,
} from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { tooLongMessage } from '../validation.js';
import { may } from '../workspaces.js';
import { AdminLayout } from './admin-layout.js';
import { byName } from '../i18n/collation.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An optional professional phone, checked as the API checks it (`belgianPhoneNumber`). */
function phoneProblem(typed: string): Message | undefined {
  if (typed.trim() === '') return undefined;
  if (typed.length > MAX_LENGTH.phone) return tooLongMessage(MAX_LENGTH.phone);
  return belgianPhoneNumber(typed) === undefined ? { key: 'validation.phone' } : undefined;
}

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
  const organisations = loaded.data ? byName(loaded.data.organisations) : [];
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
              grantable={me.grantableRoles}
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
            <StaffTable
              staff={staff}
              me={me}
              onChanged={async (id, until) => {
                await readUntil(
                  () => {
                    forgetReference('/staff');
                    return reference.staff();
                  },
                  (all) => all.some((s) => s.id === id && until(s)),
                );
                setVersion((v) => v + 1);
              }}
            />
          </section>
        </>
      )}
    </AdminLayout>
  );
}

/** What the API allows too: an admin changes anyone, a manager those of their organisation whose roles they could grant. */
function mayChange(me: Me, member: StaffView): boolean {
  if (!me.roles.includes('admin') && member.organisationId !== me.organisationId) return false;
  return member.roles.every((role) => me.grantableRoles.includes(role));
}

function StaffTable({
  staff,
  me,
  onChanged,
}: {
  staff: readonly StaffView[];
  me: Me;
  onChanged: (id: string, until: (member: StaffView) => boolean) => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [editing, setEditing] = useState<StaffView | undefined>();
  const [notice, setNotice] = useState<Message | undefined>();
  const [problem, setProblem] = useState<Message | undefined>();
  const [busy, setBusy] = useState(false);
  const text = useText();
  const manageable = staff.some((s) => mayChange(me, s));
  const setActive = async (member: StaffView, active: boolean) => {
    if (busy) return;
    setBusy(true);
    setNotice(undefined);
    setProblem(undefined);
    try {
      await api('POST', `/staff/${member.id}/${active ? 'reactivate' : 'deactivate'}`);
      await onChanged(member.id, (s) => s.active === active);
      setNotice({
        key: active ? 'admin.staffReactivated' : 'admin.staffDeactivated',
        params: { name: member.name },
      });
    } catch (error) {
      setProblem(
        error instanceof ApiError ? problemMessage(error.problem) : { key: 'problem.network' },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {notice && (
        <Notice tone="success" focus>
          {text(notice)}
        </Notice>
      )}
      {problem && (
        <Notice tone="error" focus>
          {text(problem)}
        </Notice>
      )}
      <table class="data">
        <caption class="visually-hidden">{t('admin.staff')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.email')}</th>
            <th scope="col">{t('admin.phone')}</th>
            <th scope="col">{t('admin.roles')}</th>
            <th scope="col">{t('admin.status')}</th>
            {manageable && <th scope="col">{t('admin.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.name}</th>
              <td>{s.email}</td>
              <td>{s.phone ? formattedBelgianPhone(s.phone) : t('app.none')}</td>
              <td>{i18n.list(s.roles.map((r) => i18n.label('staffRole', r)))}</td>
              <td>{s.active ? t('admin.active') : t('admin.inactive')}</td>
              {manageable && (
                <td>
                  {mayChange(me, s) && (
                    <div class="actions">
                      <button
                        type="button"
                        aria-label={t('admin.edit', { name: s.name })}
                        onClick={() => setEditing(s)}
                      >
                        {t('admin.editVerb')}
                      </button>
                      {s.id !== me.staffId && (
                        <button
                          type="button"
                          aria-disabled={busy ? 'true' : undefined}
                          aria-label={
                            s.active
                              ? t('admin.deactivate', { name: s.name })
                              : t('admin.reactivate', { name: s.name })
                          }
                          onClick={() => void setActive(s, !s.active)}
                        >
                          {s.active ? t('admin.deactivateVerb') : t('admin.reactivateVerb')}
                        </button>
                      )}
                    </div>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <EditStaff
          key={editing.id}
          member={editing}
          grantable={me.grantableRoles}
          onDone={async (saved) => {
            const id = editing.id;
            setEditing(undefined);
            if (saved === undefined) return;
            await onChanged(id, (s) => s.name === saved.name && s.phone === saved.phone);
            setNotice({ key: 'admin.staffUpdated', params: { name: saved.name } });
          }}
        />
      )}
    </>
  );
}

function EditStaff({
  member,
  grantable,
  onDone,
}: {
  member: StaffView;
  grantable: readonly StaffRole[];
  /** The new name and phone once saved; undefined when cancelled. */
  onDone: (saved: { name: string; phone: string | null } | undefined) => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [name, setName] = useState(member.name);
  const [phone, setPhone] = useState(member.phone ? formattedBelgianPhone(member.phone) : '');
  const [roles, setRoles] = useState<string[]>([...member.roles]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);
  const labels = { name: t('admin.name'), phone: t('admin.phone'), roles: t('admin.roles') };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, Message> = {};
    if (name.trim().length < 2) found.name = { key: 'validation.minLength', params: { n: 2 } };
    if (name.trim().length > MAX_LENGTH.staffName)
      found.name = tooLongMessage(MAX_LENGTH.staffName);
    if (roles.length === 0) found.roles = { key: 'validation.atLeastOne' };
    const phoneFound = phoneProblem(phone);
    if (phoneFound) found.phone = phoneFound;
    setErrors(found);
    setGeneral([]);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = { name: name.trim(), phone: belgianPhoneNumber(phone) ?? null };
      await api('PATCH', `/staff/${member.id}`, { body: { ...saved, roles } });
      await onDone(saved);
    } catch (error) {
      if (!(error instanceof ApiError)) return setGeneral([{ key: 'problem.network' }]);
      const byField = fieldErrorsOf(error.problem);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setGeneral([problemMessage(error.problem)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="edit-staff">
      <h2 id="edit-staff" tabIndex={-1} ref={(heading) => heading?.focus()}>
        {t('admin.editStaff', { name: member.name })}
      </h2>
      <ErrorSummary errors={errors} labels={labels} general={general} />
      <form class="form" noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          name="editName"
          label={labels.name}
          maxLength={MAX_LENGTH.staffName}
          value={name}
          onInput={setName}
          error={errors.name}
        />
        <TextField
          name="editPhone"
          type="tel"
          autoComplete="tel"
          label={labels.phone}
          hint={t('admin.phoneHint')}
          maxLength={MAX_LENGTH.phone}
          value={phone}
          onInput={setPhone}
          error={errors.phone}
          optional
        />
        <CheckboxGroup
          name="editRoles"
          label={labels.roles}
          values={roles}
          onChange={setRoles}
          options={[...new Set([...grantable, ...member.roles])].map((r) => ({
            value: r,
            label: i18n.label('staffRole', r),
          }))}
          error={errors.roles}
        />
        <div class="row">
          <SubmitButton busy={busy} label={t('admin.save')} busyLabel={t('event.submitting')} />
          <button type="button" onClick={() => void onDone(undefined)}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function RegisterStaff({
  organisations,
  defaultOrganisation,
  grantable,
  onRegistered,
}: {
  organisations: readonly OrganisationView[];
  defaultOrganisation: string;
  grantable: readonly StaffRole[];
  onRegistered: (organisationId: string, staffId: string) => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [organisationId, setOrganisationId] = useState(defaultOrganisation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
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
    phone: t('admin.phone'),
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
    const phoneFound = phoneProblem(phone);
    if (phoneFound) found.phone = phoneFound;
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
          ...(phone.trim() ? { phone: phone.trim() } : {}),
        },
      });
      setDone(name.trim());
      setName('');
      setEmail('');
      setPhone('');
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
          <TextField
            name="phone"
            type="tel"
            autoComplete="tel"
            label={labels.phone}
            hint={t('admin.phoneHint')}
            value={phone}
            onInput={setPhone}
            maxLength={MAX_LENGTH.phone}
            error={errors.phone}
            optional
          />
        </div>
        <CheckboxGroup
          name="roles"
          label={labels.roles}
          values={roles}
          onChange={setRoles}
          options={grantable.map((r) => ({ value: r, label: i18n.label('staffRole', r) }))}
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
