import { useState } from 'preact/hooks';
import {
  COORDINATION_LENGTH,
  type AttendanceStatus,
  type BodyView,
  type MeetingView,
  type MinutesDeliveryView,
} from '@relais/wire';
import { api } from '../api/client.js';
import { readUntil } from '../api/reference.js';
import { Downloads } from '../components/downloads.js';
import { Notice, SelectField, TextAreaField } from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import type { Message } from '../problems.js';
import { Link } from '../router.js';
import { useMe } from '../session.js';
import { may } from '../workspaces.js';
import { CoordinationLayout, Shown, useWrite, WriteForm } from './coordination-layout.js';
import { found } from './forms.js';

interface Loaded {
  readonly meeting: MeetingView;
  readonly body: BodyView;
  readonly siblings: readonly MeetingView[];
}

const path = (id: string) => `/coordination/meetings/${encodeURIComponent(id)}`;
const meetingOf = (id: string) => api<MeetingView>('GET', path(id));

async function load(id: string): Promise<Loaded> {
  const meeting = await meetingOf(id);
  const body = `/coordination/bodies/${encodeURIComponent(meeting.bodyId)}`;
  const [bodyView, siblings] = await Promise.all([
    api<BodyView>('GET', body),
    api<MeetingView[]>('GET', `${body}/meetings`),
  ]);
  return { meeting, body: bodyView, siblings };
}

/**
 * A meeting's path: its agenda, then attendance once held, the minutes drafted, approved at a
 * later meeting, distributed, and each delivery. A member reads it; the coordinator moves it on.
 */
export function MeetingPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<Message | undefined>();
  const loaded = useLoad(() => load(id), [id, version]);
  const coordinator = may.coordinate(me.roles);
  /** After a write: the page again once the read model shows it. */
  const moved = async (message: Message, shows: (m: MeetingView) => boolean) => {
    await readUntil(() => meetingOf(id), shows);
    setDone(message);
    setVersion((v) => v + 1);
  };

  if (loaded.error)
    return (
      <CoordinationLayout section="bodies" title={t('coord.meetings')}>
        <LoadError error={loaded.error} retry={loaded.reload} />
      </CoordinationLayout>
    );
  if (!loaded.data)
    return (
      <CoordinationLayout section="bodies" title={t('coord.meetings')}>
        <Loading />
      </CoordinationLayout>
    );
  const { meeting: m, body, siblings } = loaded.data;
  const status = m.minutes.status;
  const approvedAt = siblings.find((s) => s.id === m.minutes.approvedAtMeetingId);
  return (
    <CoordinationLayout
      section="bodies"
      title={`${m.bodyName} — ${t('coord.meetingOf', { date: i18n.date(m.date) })}`}
    >
      {done && (
        <Notice tone="success">{'text' in done ? done.text : t(done.key, done.params)}</Notice>
      )}
      <dl class="facts">
        <dt>{t('coord.body')}</dt>
        <dd>
          <Link href={`/coordination/bodies/${m.bodyId}`}>{m.bodyName}</Link>
        </dd>
        <dt>{t('coord.date')}</dt>
        <dd>{i18n.date(m.date)}</dd>
        <dt>{t('coord.place')}</dt>
        <dd>{m.place}</dd>
        <dt>{t('coord.minutesStatus')}</dt>
        <dd>{i18n.label('coord.minutesStatus', status)}</dd>
      </dl>
      <section aria-labelledby="meeting-agenda">
        <h2 id="meeting-agenda">{t('coord.agenda')}</h2>
        {m.agenda.length === 0 ? (
          <p>{t('app.none')}</p>
        ) : (
          <ol>
            {m.agenda.map((item, i) => (
              <li key={i}>{item}</li>
            ))}
          </ol>
        )}
      </section>
      {coordinator && status !== 'approved' && status !== 'distributed' ? (
        <Attendance
          meeting={m}
          body={body}
          onSaved={() =>
            moved({ key: 'coord.attendanceSaved' }, (after) => after.attendance.length > 0)
          }
        />
      ) : (
        <AttendanceList meeting={m} body={body} />
      )}
      <section aria-labelledby="meeting-minutes">
        <h2 id="meeting-minutes">{t('coord.minutesStatus')}</h2>
        {coordinator && (status === 'none' || status === 'drafted') ? (
          <DraftMinutes
            meeting={m}
            onDrafted={(text) =>
              moved({ key: 'coord.minutesDrafted' }, (after) => after.minutes.text === text)
            }
          />
        ) : m.minutes.text ? (
          <p class="minutes-text">{m.minutes.text}</p>
        ) : (
          <p>{t('coord.noMinutes')}</p>
        )}
        {m.minutes.approvedOn && (
          <p>
            {t('coord.approvedOn', {
              date: i18n.date(m.minutes.approvedOn),
              meeting: approvedAt ? i18n.date(approvedAt.date) : t('app.none'),
            })}
          </p>
        )}
        {m.minutes.distributedOn && (
          <p>{t('coord.distributedOn', { date: i18n.date(m.minutes.distributedOn) })}</p>
        )}
        {status !== 'none' && (
          <Downloads
            done="coord.pdfDone"
            choices={[
              {
                id: 'pdf',
                label: t('coord.minutesPdf'),
                path: `${path(m.id)}/minutes.pdf`,
                fallbackName: `pv-${m.date}.pdf`,
              },
            ]}
          />
        )}
      </section>
      {coordinator && status === 'drafted' && (
        <Approve
          meeting={m}
          later={siblings.filter((s) => s.date > m.date)}
          onApproved={() =>
            moved({ key: 'coord.approved' }, (after) => after.minutes.status === 'approved')
          }
        />
      )}
      {coordinator && status === 'approved' && (
        <Distribute
          meeting={m}
          onDistributed={() =>
            moved({ key: 'coord.distributed' }, (after) => after.minutes.status === 'distributed')
          }
        />
      )}
      {coordinator && status === 'distributed' && <Deliveries meetingId={m.id} body={body} />}
    </CoordinationLayout>
  );
}

function AttendanceList({ meeting, body }: { meeting: MeetingView; body: BodyView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const names = new Map(body.members.map((b) => [b.key, b.name]));
  return (
    <section aria-labelledby="meeting-attendance">
      <h2 id="meeting-attendance">{t('coord.attendance')}</h2>
      {meeting.attendance.length === 0 ? (
        <p>{t('coord.noAttendance')}</p>
      ) : (
        <ul>
          {meeting.attendance.map((a) => (
            <li key={a.member}>
              {t('app.labelled', {
                label: names.get(a.member) ?? a.member,
                value: i18n.label('coord.attendance', a.status),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A choice per member of the body: present, excused, or not given (left out). */
function Attendance({
  meeting,
  body,
  onSaved,
}: {
  meeting: MeetingView;
  body: BodyView;
  onSaved: () => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const initial = Object.fromEntries(meeting.attendance.map((a) => [a.member, a.status]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const write = useWrite([]);
  const submit = () =>
    write.run({}, async () => {
      const attendance = body.members
        .filter((b) => values[b.key] === 'present' || values[b.key] === 'excused')
        .map((b) => ({ member: b.key, status: values[b.key] as AttendanceStatus }));
      await api('PUT', `${path(meeting.id)}/attendance`, { body: { attendance } });
      await onSaved();
    });
  return (
    <section aria-labelledby="meeting-attendance">
      <h2 id="meeting-attendance">{t('coord.attendance')}</h2>
      {body.members.length === 0 ? (
        <p>{t('coord.noBodyMembers')}</p>
      ) : (
        <WriteForm
          write={write}
          labels={{}}
          submitLabel={t('coord.saveAttendance')}
          onSubmit={submit}
        >
          <div class="row">
            {body.members.map((b) => (
              <SelectField
                key={b.key}
                name={`attendance-${b.key}`}
                label={t('coord.attendanceOf', { name: b.name })}
                value={values[b.key] ?? ''}
                onChange={(value) => setValues((v) => ({ ...v, [b.key]: value }))}
                placeholder
                placeholderLabel={t('coord.attendance.unknown')}
                options={(['present', 'excused'] as const).map((s) => ({
                  value: s,
                  label: i18n.label('coord.attendance', s),
                }))}
                optional
              />
            ))}
          </div>
        </WriteForm>
      )}
    </section>
  );
}

function DraftMinutes({
  meeting,
  onDrafted,
}: {
  meeting: MeetingView;
  onDrafted: (text: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(meeting.minutes.text ?? '');
  const labels = { text: t('coord.minutesText') };
  const write = useWrite(['text']);
  const submit = () =>
    write.run(
      found({
        text: text.trim() ? undefined : { key: 'validation.minLength', params: { n: 1 } },
      }),
      async () => {
        await api('PUT', `${path(meeting.id)}/minutes`, { body: { text: text.trim() } });
        await onDrafted(text.trim());
      },
    );
  return (
    <WriteForm
      write={write}
      labels={labels}
      submitLabel={t('coord.draftMinutes')}
      onSubmit={submit}
    >
      <TextAreaField
        name="text"
        label={labels.text}
        hint={t('coord.minutesTextHint')}
        value={text}
        onInput={setText}
        maxLength={COORDINATION_LENGTH.minutes}
        rows={8}
        error={write.errors.text}
      />
    </WriteForm>
  );
}

function Approve({
  meeting,
  later,
  onApproved,
}: {
  meeting: MeetingView;
  later: readonly MeetingView[];
  onApproved: () => Promise<void>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [chosen, setChosen] = useState(later.at(-1)?.id ?? '');
  const labels = { approvedAtMeetingId: t('coord.approvedAt') };
  const write = useWrite(['approvedAtMeetingId']);
  const submit = () =>
    write.run(
      found({ approvedAtMeetingId: chosen ? undefined : { key: 'validation.choice' } }),
      async () => {
        await api('POST', `${path(meeting.id)}/minutes/approval`, {
          body: { approvedAtMeetingId: chosen },
        });
        await onApproved();
      },
    );
  return (
    <section aria-labelledby="meeting-approval">
      <h2 id="meeting-approval">{t('coord.approval')}</h2>
      {later.length === 0 ? (
        <p>{t('coord.noLaterMeeting')}</p>
      ) : (
        <WriteForm write={write} labels={labels} submitLabel={t('coord.approve')} onSubmit={submit}>
          <SelectField
            name="approvedAtMeetingId"
            label={labels.approvedAtMeetingId}
            hint={t('coord.approvedAtHint')}
            value={chosen}
            onChange={setChosen}
            options={[...later]
              .sort((x, y) => x.date.localeCompare(y.date))
              .map((s) => ({
                value: s.id,
                label: t('coord.openMeeting', { date: i18n.date(s.date), place: s.place }),
              }))}
            error={write.errors.approvedAtMeetingId}
          />
        </WriteForm>
      )}
    </section>
  );
}

function Distribute({
  meeting,
  onDistributed,
}: {
  meeting: MeetingView;
  onDistributed: () => Promise<void>;
}) {
  const { t } = useI18n();
  const write = useWrite([]);
  const submit = () =>
    write.run({}, async () => {
      await api('POST', `${path(meeting.id)}/minutes/distribution`);
      await onDistributed();
    });
  return (
    <section aria-labelledby="meeting-distribution">
      <h2 id="meeting-distribution">{t('coord.distribution')}</h2>
      <p>{t('coord.distributionHint')}</p>
      <WriteForm write={write} labels={{}} submitLabel={t('coord.distribute')} onSubmit={submit} />
    </section>
  );
}

/** Each delivery of distributed minutes; the recipients with an account named as the body names them. */
function Deliveries({ meetingId, body }: { meetingId: string; body: BodyView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    () => api<MinutesDeliveryView[]>('GET', `${path(meetingId)}/deliveries`),
    [meetingId],
  );
  const byAccount = new Map(
    body.members.flatMap((b) => (b.kind === 'person' && b.staffId ? [[b.staffId, b.name]] : [])),
  );
  return (
    <section aria-labelledby="meeting-deliveries">
      <h2 id="meeting-deliveries">{t('coord.deliveries')}</h2>
      <div class="toolbar">
        <button type="button" onClick={loaded.reload}>
          {t('app.refresh')}
        </button>
      </div>
      <Shown loaded={loaded} empty={t('coord.noDeliveries')}>
        {(data) => (
          <table class="data">
            <caption>{t('coord.deliveries')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('coord.recipient')}</th>
                <th scope="col">{t('coord.channel')}</th>
                <th scope="col">{t('coord.deliveryStatus')}</th>
                <th scope="col">{t('coord.attempts')}</th>
                <th scope="col">{t('coord.at')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((d) => (
                <tr key={d.deliveryId}>
                  <th scope="row">{byAccount.get(d.recipient) ?? d.recipient}</th>
                  <td>{i18n.label('coord.channel', d.channel)}</td>
                  <td>{i18n.label('coord.deliveryStatus', d.status)}</td>
                  <td>{i18n.number(d.attempts)}</td>
                  <td>{i18n.timestamp(d.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Shown>
    </section>
  );
}
