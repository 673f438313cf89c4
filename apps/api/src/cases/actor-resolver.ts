import { ForbiddenException, Injectable } from '@nestjs/common';
import { Principal } from '@relais/auth';
import { CaseContext, OrganisationKind } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import { brusselsDate } from '@relais/platform';
import { NetworkQueries } from '@relais/read-models';

export type Actor = Principal & { readonly organisationKind: OrganisationKind };

/** Adds what the token does not carry: the kind of the caller's organisation. */
@Injectable()
export class ActorResolver {
  constructor(private readonly network: NetworkQueries) {}

  async resolve(principal: Principal): Promise<Actor> {
    const organisation = await this.network.organisation(principal.organisationId);
    if (!organisation)
      throw new ForbiddenException(`Unknown organisation ${principal.organisationId}`);
    return { ...principal, organisationKind: organisation.kind };
  }
}

/** What the case rules know of the world when the actor decides: the write and its preview alike. */
export function caseContextOf(by: Actor, directory: CompetenceDirectory, now: Date): CaseContext {
  return {
    actor: { organisationId: by.organisationId, kind: by.organisationKind },
    today: brusselsDate(now),
    isKnownCommune: (ins) => directory.isKnownCommune(ins),
    competentCpas: (ins) => directory.competentCpas(ins)?.id,
  };
}
