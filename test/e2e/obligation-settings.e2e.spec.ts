import { staffIdOf } from '../../apps/api/src/seed/demo-seed';
import { DeadlineWatcher } from '@relais/obligations';
import type { Notification } from '@relais/wire';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { adoptVersion2 } from '../support/protocols';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

const ris = (occurredOn: string) => ({
  type: 'RisSuppressed',
  occurredOn,
  reason: 'resources_above_threshold',
  effectiveOn: '2026-12-01',
});

/**
 * What the protocol file and the network say about an obligation is what Relais does: the rule's
 * escalation, the shared contact of the assigned worker, the organisations' closure days, and an
 * acknowledgement that a retry does not write twice.
 */
describe('the settings of an obligation', () => {
  let relais: TestRelais;
  let call: Call;
  let as: string;
  let delegue: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
  });
  afterAll(() => relais.close());

  const logged = async (caseId: string, body: object) => {
    const answer = await call('POST', `/api/v1/cases/${caseId}/events`, as, body);
    expect(answer.status).toBe(201);
  };
  const streamTypes = async (obligationId: string) =>
    (
      await relais.database.pool.query<{ type: string }>(
        'select type from events where stream_id = $1 order by stream_position',
        [`obligation-${obligationId}`],
      )
    ).rows.map((r) => r.type);

  describe('under the shipped protocol', () => {
    let caseId: string;
    let notification: Notification;

    beforeAll(async () => {
      // Ciney closes on Wednesday 18 November, the SAJ on Tuesday 24 November.
      const admin = await relais.token('admin@relais.demo');
      for (const [organisation, day] of [
        ['cpas-ciney', '2026-11-18'],
        ['saj-dinant', '2026-11-24'],
      ] as const) {
        const patched = await call('PATCH', `/api/v1/organisations/${organisation}`, admin, {
          closureDays: [day],
        });
        expect(patched.status).toBe(200);
      }
      await eventually(async () => {
        const { rowCount } = await relais.database.pool.query(
          "select 1 from organisations where id = 'saj-dinant' and cardinality(closure_days) = 1",
        );
        return rowCount === 1;
      });
      caseId = await aCaseWithTheSaj(call, as);
      await logged(caseId, ris('2026-11-16'));
      notification = await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
    });

    it("moves the due date past the obliged party's closure day, the acknowledgement's past the recipient's", () => {
      // Five working days from Monday 16 November: the 23rd, a day later for Ciney's closure.
      expect(notification.dueOn).toBe('2026-11-24');
      // Five from Friday 20 November, logged that day: the 27th, then the SAJ's closure on the 24th.
      expect(notification.acknowledgementDueOn).toBe('2026-11-30');
    });

    it("shares the assigned worker's professional contact, as the rule says", () => {
      expect(notification.contacts).toEqual([
        {
          name: 'Assistant·e social·e, CPAS de Ciney',
          email: 'as@cpas-ciney.demo',
          phone: '+3283210001',
          organisationId: 'cpas-ciney',
        },
      ]);
    });

    it('acknowledges once when the same acknowledgement is retried under its Idempotency-Key', async () => {
      const acknowledge = async () => {
        const response = await fetch(
          `${relais.url}/api/v1/notifications/${notification.id}/acknowledge`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${delegue}`, 'idempotency-key': 'ack-1' },
          },
        );
        return { status: response.status, body: (await response.json()) as { version: number } };
      };
      const first = await acknowledge();
      const retry = await acknowledge();
      expect(first.status).toBe(200);
      expect(retry).toEqual(first);
      expect(
        (await streamTypes(notification.id)).filter((t) => t === 'ObligationAcknowledged'),
      ).toHaveLength(1);
      const another = await call<{ code: string }>(
        'POST',
        `/api/v1/notifications/${notification.id}/acknowledge`,
        await relais.token('delegue2@saj-dinant.demo'),
      );
      expect([another.status, another.body.code]).toEqual([422, 'ALREADY_ACKNOWLEDGED']);
    });
  });

  describe('under a version whose RIS rule escalates to nobody and gives four working days before a breach', () => {
    beforeAll(async () => {
      await adoptVersion2(call, '2026-11-01', (rule) => {
        if (rule.id === 'cpas-ris-suppressed') {
          rule.escalation = {
            unacknowledged: 'none',
            loggedLate: 'none',
            breachAfterWorkingDays: 4,
          };
        }
      });
    });

    it('an event logged late is breached but escalates to nobody', async () => {
      const caseId = await aCaseWithTheSaj(call, as);
      // Due five working days after Monday 2 November, the 9th; logged on the 20th.
      await logged(caseId, ris('2026-11-02'));
      const late = await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
      expect(late.breachedOn).toBe('2026-11-20');
      expect(await streamTypes(late.id)).toEqual(['ObligationOpened', 'ObligationBreached']);
    });

    it('an unacknowledged obligation is never escalated, and breached after four working days', async () => {
      const caseId = await aCaseWithTheSaj(call, as, [staffIdOf('delegue1@saj-dinant.demo')]);
      await logged(caseId, ris('2026-11-19'));
      const waiting = await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
      // Five working days from the 20th, past the SAJ's closure on the 24th.
      expect(waiting.acknowledgementDueOn).toBe('2026-11-30');
      const watcher = relais.app.get(DeadlineWatcher);
      // Two working days after the due date the shipped rule breaches; this one waits for four.
      relais.clock.set(new Date('2026-12-04T10:00:00+01:00'));
      await watcher.checkOnce();
      expect(await streamTypes(waiting.id)).toEqual(['ObligationOpened']);
      relais.clock.set(new Date('2026-12-07T10:00:00+01:00'));
      await watcher.checkOnce();
      expect(await streamTypes(waiting.id)).toEqual(['ObligationOpened', 'ObligationBreached']);
      const breached = await notificationIn(
        call,
        await relais.token('delegue1@saj-dinant.demo'), // tokens expire by the app's clock
        caseId,
        'cpas-ris-suppressed',
        (n) => n.breachedOn !== null,
      );
      expect([breached.breachedOn, breached.escalatedOn]).toEqual(['2026-12-07', null]);
    });
  });
});
