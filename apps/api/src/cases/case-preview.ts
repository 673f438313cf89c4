import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@relais/auth';
import { caseDecider } from '@relais/domain';
import { Clock, CLOCK, uuidFromName } from '@relais/platform';
import type { Simulation } from '@relais/wire';
import { ProtocolSimulator } from '../protocols/protocol-simulation';
import { ActorResolver } from './actor-resolver';
import { CaseCommands } from './case-commands';
import { CaseRepository } from './case-repository';
import { CaseEventDto } from './case.dto';

/**
 * The dry run of `POST /cases/:id/events`: the same body, command and decision as the write (so
 * the same refusals, at the same fields), then what the decided events would oblige. Writes nothing.
 */
@Injectable()
export class CasePreviews {
  constructor(
    private readonly actors: ActorResolver,
    private readonly commands: CaseCommands,
    private readonly cases: CaseRepository,
    private readonly simulator: ProtocolSimulator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async preview(caseId: string, body: CaseEventDto, principal: Principal): Promise<Simulation[]> {
    const by = await this.actors.resolve(principal);
    const command = await this.commands.fromBody(body, by, (purpose) =>
      uuidFromName(`preview:${by.organisationId}:${caseId}:${purpose}`),
    );
    const { state } = await this.cases.loadVisible(caseId, by.organisationId);
    const events = caseDecider.decide(
      command,
      state,
      await this.commands.contextOf(command, by, this.clock.now()),
    );
    return this.simulator.ofDecided(state, events);
  }
}
