import { useState } from 'preact/hooks';
import {
  COORDINATION_ITEMS,
  COORDINATION_LENGTH,
  MAX_LENGTH,
  MEMBER_FIELDS,
  MEMBER_SECTORS,
  type MemberServiceView,
} from '@relais/wire';
import { api } from '../api/client.js';
import { readUntil } from '../api/reference.js';
import {
  CheckboxGroup,
  DateField,
  Notice,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/forms.js';
import { useLoad } from '../components/use-load.js';
import { byName } from '../i18n/collation.js';
import { useI18n } from '../i18n/i18n.js';
import { useMe } from '../session.js';
import { may } from '../workspaces.js';
import { CoordinationLayout, Shown, useWrite, WriteForm } from './coordination-layout.js';
import {
  MEMBER_FORM,
  memberBody,
  validateMember,
  type MemberTextField,
  type MemberValues,
} from './forms.js';

const members = () => api<MemberServiceView[]>('GET', '/coordination/members');

export function MembersPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [version, setVersion] = useState(0);
  const loaded = useLoad(members, [version]);
  return (
    <CoordinationLayout section="members">
      {may.coordinate(me.roles) && (
        <RegisterMember
          onRegistered={async (id) => {
            await readUntil(members, (all) => all.some((m) => m.id === id));
            setVersion((v) => v + 1);
          }}
        />
      )}
      <Shown loaded={loaded} empty={t('coord.noMembers')}>
        {(data) => (
          <table class="data">
            <caption>{t('coord.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('coord.name')}</th>
                <th scope="col">{t('coord.sector')}</th>
                <th scope="col">{t('coord.fields')}</th>
                <th scope="col">{t('coord.address')}</th>
                <th scope="col">{t('coord.contact')}</th>
                <th scope="col">{t('coord.servicesOffered')}</th>
                <th scope="col">{t('coord.charterSignedOn')}</th>
              </tr>
            </thead>
            <tbody>
              {byName(data).map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.name}</th>
                  <td>{i18n.label('coord.sector', m.sector)}</td>
                  <td>{i18n.list(m.fields.map((f) => i18n.label('coord.field', f)))}</td>
                  <td>
                    {m.address.street}, {m.address.postalCode} {m.address.city}
                  </td>
                  <td>{[m.contact.email, m.contact.phone].filter(Boolean).join(' · ')}</td>
                  <td>{i18n.list(m.servicesOffered)}</td>
                  <td>
                    {m.charterSignedOn ? i18n.date(m.charterSignedOn) : t('coord.charterNotSigned')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Shown>
    </CoordinationLayout>
  );
}

function RegisterMember({ onRegistered }: { onRegistered: (id: string) => Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState(MEMBER_FORM);
  const [done, setDone] = useState<string | undefined>();
  const set = (name: MemberTextField) => (value: string) =>
    setValues((v) => ({ ...v, [name]: value }));
  const labels: Record<keyof MemberValues, string> = {
    name: t('coord.name'),
    sector: t('coord.sector'),
    fields: t('coord.fields'),
    'address.street': t('coord.street'),
    'address.postalCode': t('coord.postalCode'),
    'address.city': t('coord.city'),
    'address.province': t('coord.province'),
    'contact.email': t('coord.email'),
    'contact.phone': t('coord.phone'),
    'contact.website': t('coord.website'),
    servicesOffered: t('coord.servicesOffered'),
    charterSignedOn: t('coord.charterSignedOn'),
  };
  const write = useWrite(Object.keys(labels));
  const { errors } = write;
  const text = (name: MemberTextField, max: number, extra: { optional?: boolean } = {}) => (
    <TextField
      name={name}
      label={labels[name]}
      value={values[name]}
      onInput={set(name)}
      maxLength={max}
      error={errors[name]}
      {...extra}
    />
  );
  const submit = () => {
    const v = values;
    setDone(undefined);
    return write.run(validateMember(v), async () => {
      const { id } = await api<{ id: string }>('POST', '/coordination/members', {
        body: memberBody(v),
      });
      setDone(v.name.trim());
      setValues(MEMBER_FORM);
      await onRegistered(id);
    });
  };

  return (
    <section aria-labelledby="register-member">
      <h2 id="register-member">{t('coord.registerMember')}</h2>
      {done && <Notice tone="success">{t('coord.memberRegistered', { name: done })}</Notice>}
      <WriteForm
        write={write}
        labels={labels}
        submitLabel={t('coord.registerMember')}
        onSubmit={submit}
      >
        <div class="row">
          {text('name', COORDINATION_LENGTH.name)}
          <SelectField
            name="sector"
            label={labels.sector}
            value={values.sector}
            onChange={set('sector')}
            options={MEMBER_SECTORS.map((s) => ({
              value: s,
              label: i18n.label('coord.sector', s),
            }))}
            error={errors.sector}
          />
        </div>
        <CheckboxGroup
          name="fields"
          label={labels.fields}
          values={values.fields}
          onChange={(fields) => setValues((v) => ({ ...v, fields }))}
          options={MEMBER_FIELDS.map((f) => ({ value: f, label: i18n.label('coord.field', f) }))}
          error={errors.fields}
        />
        <div class="row">
          {text('address.street', COORDINATION_LENGTH.street)}
          {text('address.postalCode', 4)}
          {text('address.city', COORDINATION_LENGTH.city)}
          {text('address.province', COORDINATION_LENGTH.province)}
        </div>
        <div class="row">
          {text('contact.email', MAX_LENGTH.email)}
          {text('contact.phone', COORDINATION_LENGTH.phone, { optional: true })}
          {text('contact.website', MAX_LENGTH.url, { optional: true })}
        </div>
        <TextAreaField
          name="servicesOffered"
          label={labels.servicesOffered}
          hint={t('coord.servicesOfferedHint')}
          value={values.servicesOffered}
          onInput={set('servicesOffered')}
          maxLength={COORDINATION_ITEMS.servicesOffered * (COORDINATION_LENGTH.serviceName + 1)}
          error={errors.servicesOffered}
          optional
        />
        <DateField
          name="charterSignedOn"
          label={labels.charterSignedOn}
          value={values.charterSignedOn}
          onInput={set('charterSignedOn')}
          error={errors.charterSignedOn}
          optional
        />
      </WriteForm>
    </section>
  );
}
