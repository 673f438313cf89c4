import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ProtocolCommand,
  ProtocolEvent,
  protocolDecider,
  ProtocolState,
  protocolStreamId,
} from '@relais/domain';
import { commandHandler, EVENT_STORE, EventStore } from '@relais/event-store';

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
    const result = await handleProtocol(
      this.store,
      protocolStreamId(protocolId),
      (state, { version }) => {
        if (version === 0 && command.type !== 'DraftProtocolVersion') {
          throw new NotFoundException({
            message: `No protocol ${protocolId}`,
            code: 'PROTOCOL_NOT_FOUND',
          });
        }
        return protocolDecider.decide(command, state);
      },
      {
        identity: { actor: actor.staffId, content: command },
        metadata: {
          actor: actor.staffId,
          ...(actor.organisationId ? { organisation: actor.organisationId } : {}),
        },
      },
    );
    return { version: result.nextExpectedVersion, events: result.events };
  }
}

const handleProtocol = commandHandler<ProtocolEvent, ProtocolState>(protocolDecider);
