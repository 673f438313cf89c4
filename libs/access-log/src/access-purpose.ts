import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/**
 * Why a route reads case content, as the route declares it once (`@AccessPurpose`):
 * - `case_follow_up`: the case work of an organisation on a case it follows (the case, its
 *   timeline and obligations, the cases list, what it owes others, a dry run on a case);
 * - `acknowledgement`: receiving what the protocol told the organisation, and acknowledging it;
 * - `compliance_follow_up`: following the protocol's obligations across cases (the follow-up list);
 * - `dpo_review`: the data protection officer reading the access log, or what expires soon;
 * - `erasure`: the data protection officer erasing a person, or reading the erasures made.
 */
export const ACCESS_PURPOSES = [
  'case_follow_up',
  'acknowledgement',
  'compliance_follow_up',
  'dpo_review',
  'erasure',
] as const;

export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

export const ACCESS_PURPOSE_KEY = 'relais:access-log:purpose';

/** The OpenAPI extension naming an operation's purpose: the matrix test reads it. */
export const ACCESS_PURPOSE_EXTENSION = 'x-access-purpose';

/**
 * Each call of the route leaves one access-log entry with this purpose: answered, denied or
 * refused. A route that reads case content without one answers 500 rather than unlogged.
 */
export const AccessPurpose = (purpose: AccessPurpose): MethodDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_PURPOSE_KEY, purpose),
    ApiExtension(ACCESS_PURPOSE_EXTENSION, purpose),
  );
