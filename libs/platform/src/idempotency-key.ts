import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidInputException } from './problem-details.filter';

/** A token of printable ASCII, 1 to 255 characters: a UUID fits well. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/**
 * The request's `Idempotency-Key` header, undefined when absent; any other than 1 to 255 printable
 * ASCII characters is a 400 naming it. The key becomes the basis of the command's event ids.
 */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const given = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
    if (given === undefined) return undefined;
    if (typeof given !== 'string' || !IDEMPOTENCY_KEY.test(given)) {
      throw new InvalidInputException([
        {
          field: 'Idempotency-Key',
          message: 'Idempotency-Key must be 1 to 255 printable ASCII characters',
        },
      ]);
    }
    return given;
  },
);
