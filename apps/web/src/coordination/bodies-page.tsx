import { useState } from 'preact/hooks';
import {
  COORDINATION_ITEMS,
  COORDINATION_LENGTH,
  type BodyView,
  type MeetingView,
} from '@relais/wire';
import { api } from '../api/client.js';
import { readUntil } from '../api/reference.js';
import { DateField, Notice, TextAreaField, TextField } from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { byName } from '../i18n/collation.js';
import { parseTypedDate } from '../i18n/dates.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useMe } from '../session.js';
import { may } from '../workspaces.js';
import { CoordinationLayout, Shown, useWrite, WriteForm } from './coordination-layout.js';
import { MEETING_FORM, meetingBody, validateMeeting, type MeetingValues } from './forms.js';

/** The bodies: every one for the coordinator, the ones a member sits in for anyone else. */
export function BodiesPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(() => api<BodyView[]>('GET', '/coordination/bodies'), []);
  return (
    <CoordinationLayout section="bodies">
      <Shown loaded={loaded} empty={t('coord.noBodies')}>
        {(data) => (
          <table class="data">
            <caption>{t('coord.bodies')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('coord.name')}</th>
                <th scope="col">{t('coord.kind')}</th>
                <th scope="col">{t('coord.theme')}</th>
                <th scope="col">{t('coord.bodyMembers')}</th>
              </tr>
            </thead>
            <tbody>
              {byName(data).map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link href={`/coordination/bodies/${b.id}`}>{b.name}</Link>
                  </th>
                  <td>{i18n.label('coord.kind', b.kind)}</td>
                  <td>{b.theme}</td>
                  <td>{i18n.count('coord.memberCount', b.members.length)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Shown>
    </CoordinationLayout>
  );
}

const meetingsOf = (id: string) =>
  api<MeetingView[]>('GET', `/coordination/bodies/${encodeURIComponent(id)}/meetings`);

/** A body: its members and its meetings, newest first; the coordinator convenes the next one. */
export function BodyPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [version, setVersion] = useState(0);
  const body = useLoad(
    () => api<BodyView>('GET', `/coordination/bodies/${encodeURIComponent(id)}`),
    [id],
  );
  const meetings = useLoad(() => meetingsOf(id), [id, version]);
  if (body.error)
    return (
      <CoordinationLayout section="bodies" title={t('coord.bodies')}>
        <LoadError error={body.error} retry={body.reload} />
      </CoordinationLayout>
    );
  if (!body.data)
    return (
      <CoordinationLayout section="bodies" title={t('coord.bodies')}>
        <Loading />
      </CoordinationLayout>
    );
  const b = body.data;
  return (
    <CoordinationLayout section="bodies" title={b.name}>
      <dl class="facts">
        <dt>{t('coord.kind')}</dt>
        <dd>{i18n.label('coord.kind', b.kind)}</dd>
        <dt>{t('coord.theme')}</dt>
        <dd>{b.theme}</dd>
      </dl>
      <section aria-labelledby="body-members">
        <h2 id="body-members">{t('coord.bodyMembers')}</h2>
        {b.members.length === 0 ? (
          <p>{t('coord.noBodyMembers')}</p>
        ) : (
          <ul>
            {b.members.map((m) => (
              <li key={m.key}>
                {m.name} ({i18n.label('coord.memberKind', m.kind)})
              </li>
            ))}
          </ul>
        )}
      </section>
      {may.coordinate(me.roles) && (
        <ConveneMeeting
          bodyId={b.id}
          onConvened={async (meetingId) => {
            await readUntil(
              () => meetingsOf(id),
              (all) => all.some((m) => m.id === meetingId),
            );
            setVersion((v) => v + 1);
          }}
        />
      )}
      <section aria-labelledby="body-meetings">
        <h2 id="body-meetings">{t('coord.meetings')}</h2>
        <Shown loaded={meetings} empty={t('coord.noMeetings')}>
          {(data) => (
            <table class="data">
              <caption>{t('coord.meetings')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('coord.date')}</th>
                  <th scope="col">{t('coord.place')}</th>
                  <th scope="col">{t('coord.minutesStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      <Link href={`/coordination/meetings/${m.id}`}>
                        {t('coord.meetingOf', { date: i18n.date(m.date) })}
                      </Link>
                    </th>
                    <td>{m.place}</td>
                    <td>{i18n.label('coord.minutesStatus', m.minutes.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Shown>
      </section>
    </CoordinationLayout>
  );
}

function ConveneMeeting({
  bodyId,
  onConvened,
}: {
  bodyId: string;
  onConvened: (meetingId: string) => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState(MEETING_FORM);
  const [done, setDone] = useState<string | undefined>();
  const set = (name: keyof MeetingValues) => (value: string) =>
    setValues((v) => ({ ...v, [name]: value }));
  const labels = { date: t('coord.date'), place: t('coord.place'), agenda: t('coord.agenda') };
  const write = useWrite(Object.keys(labels));
  const { errors } = write;
  const submit = () => {
    setDone(undefined);
    const date = parseTypedDate(values.date) ?? values.date;
    return write.run(validateMeeting(values), async () => {
      const { id } = await api<{ id: string }>('POST', '/coordination/meetings', {
        body: meetingBody(bodyId, values),
      });
      setDone(i18n.date(date));
      setValues(MEETING_FORM);
      await onConvened(id);
    });
  };
  return (
    <section aria-labelledby="convene-meeting">
      <h2 id="convene-meeting">{t('coord.convene')}</h2>
      {done && <Notice tone="success">{t('coord.convened', { date: done })}</Notice>}
      <WriteForm write={write} labels={labels} submitLabel={t('coord.convene')} onSubmit={submit}>
        <div class="row">
          <DateField
            name="date"
            label={labels.date}
            value={values.date}
            onInput={set('date')}
            error={errors.date}
          />
          <TextField
            name="place"
            label={labels.place}
            value={values.place}
            onInput={set('place')}
            maxLength={COORDINATION_LENGTH.place}
            error={errors.place}
          />
        </div>
        <TextAreaField
          name="agenda"
          label={labels.agenda}
          hint={t('coord.agendaHint')}
          value={values.agenda}
          onInput={set('agenda')}
          maxLength={COORDINATION_ITEMS.agenda * (COORDINATION_LENGTH.agendaItem + 1)}
          error={errors.agenda}
          optional
        />
      </WriteForm>
    </section>
  );
}
