import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Principal } from '@relais/auth';
import { brusselsDate, Clock, CLOCK } from '@relais/platform';
import { ChangeProtocol, ProtocolChanged } from './protocol-commands';

/** A manager signs a version for their own organisation, today. */
export class SignProtocolVersion {
  constructor(
    readonly protocolId: string,
    readonly version: number,
    readonly by: Principal,
  ) {}
}

@CommandHandler(SignProtocolVersion)
export class SignProtocolVersionHandler implements ICommandHandler<
  SignProtocolVersion,
  { adopted: boolean }
> {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ protocolId, version, by }: SignProtocolVersion): Promise<{ adopted: boolean }> {
    const { events } = await this.commandBus.execute<ChangeProtocol, ProtocolChanged>(
      new ChangeProtocol(
        protocolId,
        {
          type: 'SignProtocolVersion',
          data: {
            version,
            organisationId: by.organisationId,
            signedBy: by.staffId,
            signedOn: brusselsDate(this.clock.now()),
          },
        },
        { staffId: by.staffId, organisationId: by.organisationId },
      ),
    );
    return { adopted: events.some((e) => e.type === 'ProtocolVersionAdopted') };
  }
}
