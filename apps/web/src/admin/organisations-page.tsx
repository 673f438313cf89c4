import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { forgetReference, readUntil, reference } from '../api/reference.js';
import {
  listLength,
  MAX_ITEMS,
  MAX_LENGTH,
  ORGANISATION_KINDS,
  type OrganisationView,
} from '@relais/wire';
import {
  ErrorSummary,
  Notice,
  SelectField,
  SubmitButton,
  TextField,
  useText,
} from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { parseTypedDate } from '../i18n/dates.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { tooLong, tooMany } from '../validation.js';
import { may } from '../workspaces.js';
import { AdminLayout } from './admin-layout.js';
import { byName } from '../i18n/collation.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const split = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function OrganisationsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [version, setVersion] = useState(0);
  const loaded = useLoad(() => reference.organisations(), [version]);
  return (
    <AdminLayout section="organisations">
      {may.registerOrganisation(me.roles) && (
        <RegisterOrganisation
          onRegistered={async (id) => {
            await readUntil(
              () => {
                forgetReference('/organisations');
                return reference.organisations();
              },
              (organisations) => organisations.some((o) => o.id === id),
            );
            setVersion((v) => v + 1);
          }}
        />
      )}
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <table class="data">
          <caption>{t('admin.organisations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.id')}</th>
              <th scope="col">{t('admin.kind')}</th>
              <th scope="col">{t('admin.territory')}</th>
              <th scope="col">{t('admin.contactEmail')}</th>
              <th scope="col">{t('admin.closureDays')}</th>
            </tr>
          </thead>
          <tbody>
            {byName(loaded.data).map((o) => (
              <tr key={o.id}>
                <th scope="row">{o.name}</th>
                <td>
                  <code>{o.id}</code>
                </td>
                <td>{i18n.label('orgKind', o.kind)}</td>
                <td>{territoryText(o)}</td>
                <td>{o.contactEmail}</td>
                <td>{i18n.list(o.closureDays.map((d) => i18n.date(d)))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

function territoryText(o: OrganisationView): string {
  return o.territory.kind === 'communes'
    ? o.territory.communes.join(', ')
    : o.territory.arrondissements.join(', ');
}

function RegisterOrganisation({ onRegistered }: { onRegistered: (id: string) => Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = useText();
  const empty = {
    id: '',
    name: '',
    kind: 'OTHER',
    territoryKind: 'communes',
    territory: '',
    contactEmail: '',
    closureDays: '',
  };
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Message[]>([]);
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof empty) => (value: string) =>
    setValues((v) => ({ ...v, [name]: value }));
  const labels = {
    id: t('admin.id'),
    name: t('admin.name'),
    kind: t('admin.kind'),
    'territory.kind': t('admin.territoryKind'),
    territory: t('admin.territoryValues'),
    'territory.communes': t('admin.territoryValues'),
    'territory.arrondissements': t('admin.territoryValues'),
    contactEmail: t('admin.contactEmail'),
    closureDays: t('admin.closureDays'),
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, Message> = {};
    const id = SLUG.test(values.id)
      ? tooLong(values.id, MAX_LENGTH.slug)
      : { key: 'validation.slug' as const };
    if (id) found.id = id;
    const name =
      values.name.trim().length < 2
        ? { key: 'validation.minLength' as const, params: { n: 2 } }
        : tooLong(values.name.trim(), MAX_LENGTH.organisationName);
    if (name) found.name = name;
    const contactEmail = EMAIL.test(values.contactEmail.trim())
      ? tooLong(values.contactEmail.trim(), MAX_LENGTH.email)
      : { key: 'validation.email' as const };
    if (contactEmail) found.contactEmail = contactEmail;
    const territory = split(values.territory);
    const byCommunes = values.territoryKind === 'communes';
    const territoryProblem =
      tooMany(territory, byCommunes ? MAX_ITEMS.communes : MAX_ITEMS.arrondissements) ??
      (byCommunes
        ? territory.some((c) => !/^\d{5}$/.test(c))
          ? { key: 'validation.commune' as const }
          : undefined
        : territory.some((a) => !SLUG.test(a))
          ? { key: 'validation.slug' as const }
          : territory.map((a) => tooLong(a, MAX_LENGTH.slug)).find(Boolean));
    if (territoryProblem) found.territory = territoryProblem;
    const closureDays = split(values.closureDays).map((d) => parseTypedDate(d));
    const closureProblem =
      tooMany(closureDays, MAX_ITEMS.closureDays) ??
      (closureDays.some((d) => d === undefined) ? { key: 'validation.date' as const } : undefined);
    if (closureProblem) found.closureDays = closureProblem;
    setErrors(found);
    setGeneral([]);
    setDone(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await api('POST', '/organisations', {
        body: {
          id: values.id,
          name: values.name.trim(),
          kind: values.kind,
          territory:
            values.territoryKind === 'communes'
              ? { kind: 'communes', communes: territory }
              : { kind: 'arrondissements', arrondissements: territory },
          contactEmail: values.contactEmail.trim(),
          closureDays,
        },
      });
      setDone(values.name.trim());
      setValues(empty);
      await onRegistered(values.id);
    } catch (error) {
      if (!(error instanceof ApiError)) return setGeneral([{ key: 'problem.network' }]);
      const byField = fieldErrorsOf(error.problem);
      const mapped: Record<string, Message> = {};
      for (const [field, message] of Object.entries(byField))
        mapped[field.startsWith('territory.') ? 'territory' : field] = message;
      setErrors(mapped);
      if (Object.keys(mapped).length === 0) setGeneral([problemMessage(error.problem)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="register-organisation">
      <h2 id="register-organisation">{t('admin.registerOrganisation')}</h2>
      {done && <Notice tone="success">{t('admin.organisationRegistered', { name: done })}</Notice>}
      <ErrorSummary errors={errors} labels={labels} general={general} />
      <form class="form" noValidate onSubmit={(event) => void submit(event)}>
        <div class="row">
          <TextField
            name="id"
            label={labels.id}
            value={values.id}
            onInput={set('id')}
            maxLength={MAX_LENGTH.slug}
            error={errors.id}
            hint="asbl-le-relais"
          />
          <TextField
            name="name"
            label={labels.name}
            value={values.name}
            onInput={set('name')}
            maxLength={MAX_LENGTH.organisationName}
            error={errors.name}
          />
          <SelectField
            name="kind"
            label={labels.kind}
            value={values.kind}
            onChange={set('kind')}
            options={ORGANISATION_KINDS.map((k) => ({ value: k, label: i18n.label('orgKind', k) }))}
            error={errors.kind}
          />
        </div>
        <div class="row">
          <SelectField
            name="territoryKind"
            label={labels['territory.kind']}
            value={values.territoryKind}
            onChange={set('territoryKind')}
            options={[
              { value: 'communes', label: t('admin.territory.communes') },
              { value: 'arrondissements', label: t('admin.territory.arrondissements') },
            ]}
          />
          <TextField
            name="territory"
            label={labels.territory}
            hint={t('admin.territoryValuesHint')}
            value={values.territory}
            onInput={set('territory')}
            maxLength={
              values.territoryKind === 'communes'
                ? listLength(MAX_ITEMS.communes, MAX_LENGTH.ins)
                : listLength(MAX_ITEMS.arrondissements, MAX_LENGTH.slug)
            }
            error={errors.territory}
            optional
          />
        </div>
        <div class="row">
          <TextField
            name="contactEmail"
            type="email"
            label={labels.contactEmail}
            value={values.contactEmail}
            onInput={set('contactEmail')}
            maxLength={MAX_LENGTH.email}
            error={errors.contactEmail}
          />
          <TextField
            name="closureDays"
            label={labels.closureDays}
            hint={t('admin.closureDaysHint')}
            value={values.closureDays}
            onInput={set('closureDays')}
            maxLength={listLength(MAX_ITEMS.closureDays, MAX_LENGTH.date)}
            error={errors.closureDays}
            optional
          />
        </div>
        <SubmitButton
          busy={busy}
          label={t('admin.registerOrganisation')}
          busyLabel={t('event.submitting')}
        />
      </form>
      {general.length > 0 && <Notice tone="error">{general.map(text).join(' ')}</Notice>}
    </section>
  );
}
