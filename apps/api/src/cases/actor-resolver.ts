import { ForbiddenException, Injectable } from '@nestjs/common';
import { Principal } from '@relais/auth';
import { OrganisationKind } from '@relais/domain';
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
