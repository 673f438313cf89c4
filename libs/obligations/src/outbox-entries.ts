import type { Delivery, OutboxEntry } from '@relais/delivery';
import { uuidFromName } from '@relais/kernel';
import type { WorkerContact } from '@relais/wire';
import { NotificationEmail, notificationEmail } from './notification-email';
import { ObligationOpened } from './opening';

/** What telling the recipient needs beside the obligation: looked up by the engine, in its transaction. */
export interface Recipients {
  /** The recipient organisation's contact address and its assigned staff's, for `email`. */
  readonly emails: readonly string[];
  /** Whether the recipient has a webhook configured, for `webhook`. */
  readonly hasWebhook: boolean;
  /** The obliged party's assigned workers, when the rule shares their contact. */
  readonly contacts: readonly WorkerContact[];
  readonly caseReference: string;
  readonly publicUrl: string;
  readonly organisationName: (organisationId: string) => string | undefined;
  readonly communeName: (ins: string) => string | undefined;
}

/** The channels an opened obligation is told on: none while it is blocked. */
export function channelsOf(obligation: ObligationOpened): ObligationOpened['channels'] {
  return obligation.status === 'open' ? obligation.channels : [];
}

/**
 * The outbox entries an opened obligation writes: one e-mail per address, in French, with only the
 * data its rule allows; one webhook body when the recipient has a webhook. Ids derive from the
 * obligation, the channel and the recipient, so a replay enqueues nothing new.
 */
export function outboxEntriesOf(obligation: ObligationOpened, to: Recipients): OutboxEntry[] {
  const channels = channelsOf(obligation);
  const caseUrl = `${to.publicUrl}/cases/${obligation.caseId}`;
  const entries: OutboxEntry[] = [];
  if (channels.includes('email')) {
    const fields = Object.fromEntries(
      Object.entries(obligation.sharedData).map(([field, value]) => [
        field,
        field.endsWith('Commune') && typeof value === 'string'
          ? `${to.communeName(value) ?? value} (${value})`
          : String(value),
      ]),
    );
    for (const email of to.emails) {
      const written: NotificationEmail = {
        to: email,
        caseReference: to.caseReference,
        caseUrl,
        from:
          to.organisationName(obligation.obligedOrganisationId) ?? obligation.obligedOrganisationId,
        eventType: obligation.eventType,
        dueOn: obligation.dueOn,
        acknowledgementDueOn: obligation.acknowledgementDueOn,
        fields,
        contacts: to.contacts,
      };
      entries.push({
        id: uuidFromName(`${obligation.obligationId}:email:${email}`),
        obligationId: obligation.obligationId,
        channel: 'email',
        recipient: email,
        message: { ...notificationEmail(written), writtenFrom: written },
      });
    }
  }
  if (channels.includes('webhook') && to.hasWebhook) {
    const recipient = obligation.recipientOrganisationId;
    const id = uuidFromName(`${obligation.obligationId}:webhook:${recipient}`);
    entries.push({
      id,
      obligationId: obligation.obligationId,
      channel: 'webhook',
      recipient,
      message: {
        organisationId: recipient,
        body: {
          type: 'obligation.opened',
          deliveryId: id,
          obligation: {
            id: obligation.obligationId,
            protocolId: obligation.protocolId,
            protocolVersion: obligation.protocolVersion,
            ruleId: obligation.ruleId,
            caseId: obligation.caseId,
            caseReference: to.caseReference,
            eventType: obligation.eventType,
            from: obligation.obligedOrganisationId,
            to: recipient,
            occurredOn: obligation.occurredOn,
            dueOn: obligation.dueOn,
            acknowledgementDueOn: obligation.acknowledgementDueOn,
            data: obligation.sharedData,
            contacts: to.contacts,
            caseUrl,
            acknowledgeUrl: `${to.publicUrl}/api/v1/notifications/${obligation.obligationId}/acknowledge`,
          },
        },
      },
    });
  }
  return entries;
}

/**
 * A delivery as it leaves: naming the contacts the notification shares when it is sent (a worker
 * reassigned since it was written, a retry after a failure), in the e-mail's text and the
 * webhook's body alike. A message written before e-mails kept what they were written from is
 * sent as it is.
 */
export function withContacts(delivery: Delivery, contacts: readonly WorkerContact[]): Delivery {
  if (delivery.channel === 'email') {
    const written = delivery.message.writtenFrom as NotificationEmail | undefined;
    if (written === undefined) return delivery;
    const rewritten: NotificationEmail = { ...written, contacts };
    return { ...delivery, message: { ...notificationEmail(rewritten), writtenFrom: rewritten } };
  }
  const { body } = delivery.message;
  const obligation = body.obligation as Readonly<Record<string, unknown>> | undefined;
  if (obligation === undefined) return delivery;
  return {
    ...delivery,
    message: { ...delivery.message, body: { ...body, obligation: { ...obligation, contacts } } },
  };
}
