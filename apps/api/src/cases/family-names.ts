import { Injectable } from '@nestjs/common';
import { SubjectView, SubjectVault } from '@relais/vault';
import type { FamilyMember, NamedMember, SubjectRole } from '@relais/wire';

type Subjects = readonly { subjectId: string; role: SubjectRole }[];

/** A member as the vault holds them now: with what it holds, or erased (no data at all). */
export function memberOf(
  subjectId: string,
  role: SubjectRole,
  person: SubjectView | undefined,
): FamilyMember {
  return person && !person.erased
    ? { subjectId, role, erased: false, ...person.data }
    : { subjectId, role, erased: true };
}

/**
 * Names the family of each row of a list from the vault, in one read: the name only (the rest
 * stays on the case page), erased people as erased, and no one where `named` says the caller's
 * organisation has no basis to know them.
 */
@Injectable()
export class FamilyNames {
  constructor(private readonly vault: SubjectVault) {}

  async name<T extends { readonly subjects: Subjects }>(
    rows: readonly T[],
    named: (row: T) => boolean = () => true,
  ): Promise<(Omit<T, 'subjects'> & { family: NamedMember[] })[]> {
    const people = await this.vault.readMany(
      rows.filter(named).flatMap((r) => r.subjects.map((s) => s.subjectId)),
    );
    return rows.map((listed) => {
      const { subjects, ...row } = listed;
      const family = named(listed)
        ? subjects.map(({ subjectId, role }): NamedMember => {
            const member = memberOf(subjectId, role, people.get(subjectId));
            return member.erased
              ? member
              : {
                  subjectId,
                  role,
                  erased: false,
                  firstName: member.firstName,
                  lastName: member.lastName,
                };
          })
        : [];
      return { ...row, family };
    });
  }
}
