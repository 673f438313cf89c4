import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { noteCaseAccess } from '@relais/access-log';
import { caseDecider, caseStreamId, initialCaseState } from '@relais/domain';
import { CompetenceDirectory } from '@relais/network';
import {
  Clock,
  CLOCK,
  InvalidInputException,
  RequestFingerprints,
  uuidFromName,
} from '@relais/platform';
import {
  InvalidPersonalDataError,
  PersonalData,
  SubjectAlreadyRegisteredError,
  SubjectVault,
  UnconfirmedSubjects,
} from '@relais/vault';
import { randomUUID } from 'node:crypto';
import { Actor, caseContextOf } from './actor-resolver';
import { OpenCaseDto } from './case.dto';
import { CaseCommands } from './case-commands';
import { CaseAppender, LoggedResult } from './case-appender';

export class OpenCase {
  constructor(
    readonly body: OpenCaseDto,
    readonly by: Actor,
    readonly idempotencyKey: string | undefined,
  ) {}
}

/**
 * Family members go to the vault first, events carry only their subject ids. With an
 * idempotency key the case id derives from it, so a retry finds the case it opened and answers
 * as the first time.
 */
@CommandHandler(OpenCase)
export class OpenCaseHandler implements ICommandHandler<OpenCase, LoggedResult> {
  constructor(
    private readonly appender: CaseAppender,
    private readonly commands: CaseCommands,
    private readonly fingerprints: RequestFingerprints,
    private readonly vault: SubjectVault,
    private readonly unconfirmed: UnconfirmedSubjects,
    private readonly directory: CompetenceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ body, by, idempotencyKey }: OpenCase): Promise<LoggedResult> {
    const key = idempotencyKey ?? randomUUID();
    const caseId = uuidFromName(`${by.organisationId}:open-case:${key}`);
    const stream = caseStreamId(caseId);
    const fingerprint = this.fingerprints.of(body);
    const subjectIds = this.subjectIdsOf(caseId, body, fingerprint);
    const now = this.clock.now();
    const decide = (
      subjects: { subjectId: string; role: (typeof body.familyMembers)[number]['role'] }[],
    ) =>
      caseDecider.decide(
        {
          type: 'OpenCase',
          data: {
            occurredOn: body.occurredOn,
            caseId,
            reference: referenceFor(
              caseId,
              body.occurredOn,
              this.directory.commune(body.residenceCommune)?.slug,
            ),
            residenceCommune: body.residenceCommune,
            subjects,
            assignedStaffIds: body.assignedStaffIds ?? [by.staffId],
            legalBasis: body.legalBasis,
          },
        },
        initialCaseState,
        caseContextOf(by, this.directory, now),
      );
    const result = await this.appender.handle(
      caseId,
      by,
      async () => {
        // The rules first: nobody enters the vault for a case that will be refused.
        decide([]);
        await this.commands.checkAssignable(body.assignedStaffIds ?? [], by.organisationId);
        // The body is part of each subject's id: a concurrent request reusing the key with another
        // family cannot overwrite this one's, its own subjects stay orphans and are swept.
        // Noted before the vault: a crash after it leaves them for the sweep, never unaccounted for.
        await this.unconfirmed.note(stream, subjectIds);
        const subjects = [];
        for (const [i, { role, ...person }] of body.familyMembers.entries()) {
          subjects.push({ subjectId: await this.keep(person, subjectIds[i] as string, i), role });
        }
        return decide(subjects);
      },
      {
        idempotencyKey: key,
        requestFingerprint: fingerprint,
        expectedVersion: 'no_stream',
        content: { openCase: caseId },
      },
    );
    await this.unconfirmed.confirm(subjectIds);
    noteCaseAccess([caseId], subjectIds);
    return result;
  }

  private subjectIdsOf(caseId: string, body: OpenCase['body'], fingerprint: string): string[] {
    return body.familyMembers.map((_, i) => uuidFromName(`${caseId}:subject:${i}:${fingerprint}`));
  }

  /** Stores a family member; a retry after a crash finds it stored and overwrites it. */
  private async keep(person: PersonalData, subjectId: string, index: number): Promise<string> {
    try {
      return await this.vault.register(person, subjectId);
    } catch (error) {
      if (error instanceof SubjectAlreadyRegisteredError) {
        await this.vault.update(subjectId, person);
        return subjectId;
      }
      if (error instanceof InvalidPersonalDataError) {
        throw new InvalidInputException([
          { field: `familyMembers.${index}.${error.field}`, message: error.message },
        ]);
      }
      throw error;
    }
  }
}

/** A short reference staff can say on the phone: commune, year, and four characters of the id. */
function referenceFor(caseId: string, openedOn: string, communeSlug: string | undefined): string {
  const place = (communeSlug ?? 'rel').replace(/-/g, '').slice(0, 3).toUpperCase();
  return `${place}-${openedOn.slice(0, 4)}-${caseId.slice(0, 4).toUpperCase()}`;
}
