import { meetingDecider, MinutesRecipient } from './meeting';
import { givenFor } from './testing/given-when-then';
import { aMeetingConvened, aMinutesApproved, aMinutesDrafted, AMO_ID } from './testing/builders';

const given = givenFor(meetingDecider, { today: '2026-11-20' });
const nextMeeting = { meetingId: 'm-nov', bodyId: 'gt-jeunesse', date: '2026-11-19' };
const recipients: MinutesRecipient[] = [
  { kind: 'member', name: 'AMO Le Cercle', email: 'contact@amo-le-cercle.be' },
  {
    kind: 'official',
    name: 'Anne Lenoir',
    email: 'presidente@cpas-dinant.be',
    staffId: 'staff-anne',
  },
];

describe('meeting decider', () => {
  it('convenes a meeting of a known body with its agenda and place', () => {
    given([])
      .when({
        type: 'ConveneMeeting',
        data: {
          meetingId: 'm-oct',
          bodyId: 'gt-jeunesse',
          bodyExists: true,
          date: '2026-10-15',
          place: 'CPAS de Dinant, salle du conseil',
          agenda: ['Approbation du PV précédent', 'Collaboration CPAS–SAJ'],
        },
      })
      .then([aMeetingConvened()]);
  });

  it('refuses an unknown body and an agenda item naming a case', () => {
    const convene = (bodyExists: boolean, agenda: string[]) => ({
      type: 'ConveneMeeting' as const,
      data: { meetingId: 'm', bodyId: 'x', bodyExists, date: '2026-12-01', place: 'CPAS', agenda },
    });
    given([]).when(convene(false, [])).thenRefuses('UNKNOWN_BODY', 'bodyId');
    given([])
      .when(convene(true, ['Dossier CIN-2026-0A1F']))
      .thenRefuses('CASE_CONTENT_REFUSED', 'agenda.0');
  });

  it('records who was present or excused, among the body’s members, once the meeting is held', () => {
    const attendance = [
      { member: AMO_ID, status: 'present' as const },
      { member: 'p-claire', status: 'excused' as const },
    ];
    given([aMeetingConvened()])
      .when({ type: 'RecordAttendance', data: { attendance, bodyMembers: [AMO_ID, 'p-claire'] } })
      .then([{ type: 'AttendanceRecorded', data: { meetingId: 'm-oct', attendance } }]);
    given([aMeetingConvened()])
      .when({ type: 'RecordAttendance', data: { attendance, bodyMembers: [AMO_ID] } })
      .thenRefuses('NOT_A_BODY_MEMBER', 'attendance.1.member');
    given([aMeetingConvened('m-dec', '2026-12-10')])
      .when({ type: 'RecordAttendance', data: { attendance: [], bodyMembers: [] } })
      .thenRefuses('MEETING_NOT_HELD_YET');
  });

  it('drafts minutes after the meeting, without case content', () => {
    given([aMeetingConvened()])
      .when({
        type: 'DraftMinutes',
        data: { text: 'Les services présentent leurs actions jeunesse.' },
      })
      .then([aMinutesDrafted()]);
    given([aMeetingConvened()])
      .when({ type: 'DraftMinutes', data: { text: 'La famille 85073003328 déménage.' } })
      .thenRefuses('CASE_CONTENT_REFUSED', 'text');
  });

  it('approves drafted minutes at a later meeting of the same body, on or after its day', () => {
    given([aMeetingConvened(), aMinutesDrafted()])
      .when({ type: 'ApproveMinutes', data: { at: nextMeeting } })
      .then([aMinutesApproved()]);
    given([aMeetingConvened(), aMinutesDrafted()])
      .when({ type: 'ApproveMinutes', data: { at: { ...nextMeeting, bodyId: 'cos' } } })
      .thenRefuses('NOT_THE_NEXT_MEETING', 'approvedAtMeetingId');
    given([aMeetingConvened(), aMinutesDrafted()])
      .when({ type: 'ApproveMinutes', data: { at: { ...nextMeeting, date: '2026-10-01' } } })
      .thenRefuses('NOT_THE_NEXT_MEETING');
    given([aMeetingConvened(), aMinutesDrafted()])
      .when({ type: 'ApproveMinutes', data: { at: nextMeeting } }, { today: '2026-11-18' })
      .thenRefuses('MEETING_NOT_HELD_YET');
    given([aMeetingConvened()])
      .when({ type: 'ApproveMinutes', data: { at: nextMeeting } })
      .thenRefuses('MINUTES_NOT_DRAFTED');
  });

  it('does not redraft or reapprove approved minutes', () => {
    given([aMeetingConvened(), aMinutesDrafted(), aMinutesApproved()])
      .when({ type: 'DraftMinutes', data: { text: 'Autre texte' } })
      .thenRefuses('MINUTES_ALREADY_APPROVED');
    given([aMeetingConvened(), aMinutesDrafted(), aMinutesApproved()])
      .when({ type: 'ApproveMinutes', data: { at: nextMeeting } })
      .thenRefuses('MINUTES_ALREADY_APPROVED');
  });

  it('distributes approved minutes once, to each address once', () => {
    given([aMeetingConvened(), aMinutesDrafted(), aMinutesApproved()])
      .when({
        type: 'DistributeMinutes',
        data: {
          recipients: [...recipients, { ...recipients[0]!, email: 'CONTACT@amo-le-cercle.be' }],
        },
      })
      .then([
        {
          type: 'MinutesDistributed',
          data: {
            meetingId: 'm-oct',
            distributedOn: '2026-11-20',
            recipients: [{ ...recipients[0]!, email: 'CONTACT@amo-le-cercle.be' }, recipients[1]!],
          },
        },
      ]);
    given([aMeetingConvened(), aMinutesDrafted()])
      .when({ type: 'DistributeMinutes', data: { recipients } })
      .thenRefuses('MINUTES_NOT_APPROVED');
    given([aMeetingConvened(), aMinutesDrafted(), aMinutesApproved()])
      .when({ type: 'DistributeMinutes', data: { recipients: [] } })
      .thenRefuses('NO_RECIPIENTS');
    given([
      aMeetingConvened(),
      aMinutesDrafted(),
      aMinutesApproved(),
      {
        type: 'MinutesDistributed',
        data: { meetingId: 'm-oct', distributedOn: '2026-11-20', recipients },
      },
    ])
      .when({ type: 'DistributeMinutes', data: { recipients } })
      .thenRefuses('MINUTES_ALREADY_DISTRIBUTED');
  });

  it('links a protocol drafted from the meeting, once; an unknown protocol is refused', () => {
    const linked = {
      type: 'ProtocolLinked' as const,
      data: { meetingId: 'm-oct', protocolId: 'dinant-cpas-saj' },
    };
    given([aMeetingConvened()])
      .when({ type: 'LinkProtocol', data: { protocolId: 'dinant-cpas-saj', protocolExists: true } })
      .then([linked]);
    given([aMeetingConvened(), linked])
      .when({ type: 'LinkProtocol', data: { protocolId: 'dinant-cpas-saj', protocolExists: true } })
      .then([]);
    given([aMeetingConvened()])
      .when({ type: 'LinkProtocol', data: { protocolId: 'nope', protocolExists: false } })
      .thenRefuses('UNKNOWN_PROTOCOL', 'protocolId');
  });

  it('knows no meeting before it is convened', () => {
    given([])
      .when({ type: 'DraftMinutes', data: { text: 'x' } })
      .thenRefuses('UNKNOWN_MEETING');
  });
});
