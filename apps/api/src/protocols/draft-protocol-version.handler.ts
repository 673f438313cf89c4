import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CompetenceDirectory } from '@relais/network';
import { signatoriesOf } from '@relais/obligations';
import { ProtocolDefinition } from '@relais/protocol';
import { ChangeProtocol } from './protocol-commands';

export interface DraftedVersion {
  readonly id: string;
  readonly version: number;
  readonly effectiveFrom: string;
  /** Every organisation that must sign before the version binds. */
  readonly signatories: readonly string[];
}

/** Drafts a protocol's next version from its document; its partners become its signatories. */
export class DraftProtocolVersion {
  constructor(
    readonly definition: ProtocolDefinition,
    readonly actor: ChangeProtocol['actor'],
  ) {}
}

@CommandHandler(DraftProtocolVersion)
export class DraftProtocolVersionHandler implements ICommandHandler<
  DraftProtocolVersion,
  DraftedVersion
> {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CompetenceDirectory) private readonly directory: CompetenceDirectory,
  ) {}

  async execute({ definition, actor }: DraftProtocolVersion): Promise<DraftedVersion> {
    const { id, version, effectiveFrom } = definition;
    const signatories = [...new Set(signatoriesOf(definition, this.directory))];
    await this.commandBus.execute(
      new ChangeProtocol(
        id,
        {
          type: 'DraftProtocolVersion',
          data: { protocolId: id, version, effectiveFrom, definition, signatories },
        },
        actor,
      ),
    );
    return { id, version, effectiveFrom, signatories };
  }
}
