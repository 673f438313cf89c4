import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  fold,
  ProtocolCommand,
  ProtocolEvent,
  protocolDecider,
  protocolStreamId,
} from '@relais/domain';
import { EVENT_STORE, EventStore, toDomainEvent } from '@relais/event-store';
import { randomUUID } from 'node:crypto';

/** A command on one protocol's stream, by a member of staff (or the system, for the seed). */
export class ChangeProtocol {
  constructor(
    readonly protocolId: string,
    readonly command: ProtocolCommand,
    readonly actor: { readonly staffId: string; readonly organisationId?: string },
  ) {}
}

export interface ProtocolChanged {
  /** The protocol stream's version after the change. */
  readonly version: number;
  readonly events: readonly ProtocolEvent[];
}

@CommandHandler(ChangeProtocol)
export class ChangeProtocolHandler implements ICommandHandler<ChangeProtocol, ProtocolChanged> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ protocolId, command, actor }: ChangeProtocol): Promise<ProtocolChanged> {
    const stream = protocolStreamId(protocolId);
    const history = await this.store.readStream(stream);
    if (history.length === 0 && command.type !== 'DraftProtocolVersion') {
      throw new NotFoundException({
        message: `No protocol ${protocolId}`,
        code: 'PROTOCOL_NOT_FOUND',
      });
    }
    const state = fold(protocolDecider, history.map(toDomainEvent<ProtocolEvent>));
    const events = protocolDecider.decide(command, state);
    const result = await this.store.append(
      stream,
      events.map((event) => ({
        eventId: randomUUID(),
        ...event,
        metadata: {
          actor: actor.staffId,
          ...(actor.organisationId ? { organisation: actor.organisationId } : {}),
        },
      })),
      { expectedVersion: history[history.length - 1]?.streamPosition ?? 'no_stream' },
    );
    return { version: result.nextExpectedVersion, events };
  }
}
