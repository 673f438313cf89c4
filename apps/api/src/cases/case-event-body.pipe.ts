import { Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputException } from '@relais/platform';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CASE_EVENT_BODIES, CaseEventDto } from './case.dto';

const LOGGABLE = Object.entries(CASE_EVENT_BODIES)
  .filter(([, body]) => body !== undefined)
  .map(([type]) => type);

/** Validates a case event body against the class its `type` names, reporting every bad field. */
@Injectable()
export class CaseEventBodyPipe implements PipeTransform<unknown, Promise<CaseEventDto>> {
  async transform(value: unknown): Promise<CaseEventDto> {
    const type =
      typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    const body =
      typeof type === 'string'
        ? CASE_EVENT_BODIES[type as keyof typeof CASE_EVENT_BODIES]
        : undefined;
    if (type === 'PartnerJoined') {
      // Professional secrecy: no organisation becomes a partner on a basis another one declares.
      throw new InvalidInputException([
        {
          field: 'type',
          message:
            'an organisation joins a case by accepting a referral: send ReferralSent (reason joint_follow_up); it joins with ReferralAccepted on the legal basis it records',
        },
      ]);
    }
    if (!body) {
      throw new InvalidInputException([
        { field: 'type', message: `type must be one of ${LOGGABLE.join(', ')}` },
      ]);
    }
    const dto = plainToInstance(body, value);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw InvalidInputException.fromValidationErrors(errors);
    return dto;
  }
}
