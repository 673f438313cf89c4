import type { Channel } from './vocabulary.js';

/** `GET /organisations/:id/webhook`: never the secret. `Time`: see `CaseSummary`. */
export interface Webhook<Time = string> {
  readonly organisationId: string;
  readonly url: string;
  readonly updatedAt: Time;
  readonly updatedBy: string;
}

/** `PUT /organisations/:id/webhook`: the only answer that shows the secret. */
export interface WebhookSet<Time = string> extends Webhook<Time> {
  readonly secret: string;
}

/** `GET /organisations/:id/webhook/deliveries`: one delivery of the outbox. */
export interface DeliveryRecord<Time = string> {
  /** The idempotency key every attempt carries. */
  readonly id: string;
  readonly obligationId: string;
  /** The inbox needs no delivery. */
  readonly channel: Exclude<Channel, 'inbox'>;
  readonly recipient: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: Time | null;
  readonly deliveredAt: Time | null;
  readonly deadAt: Time | null;
  readonly createdAt: Time;
}
