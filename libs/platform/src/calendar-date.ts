import { belgianPhoneNumber, isCalendarDate } from '@relais/wire';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { InvalidInputException } from './problem-details.filter';

export const calendarDateMessage = (field: string) => `${field} must be a date as YYYY-MM-DD`;

/** A field holding an ISO calendar date, `YYYY-MM-DD`, of a day that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: (args) => calendarDateMessage(args?.property ?? 'the value'),
      },
    },
    options,
  );
}

/** An optional query parameter holding a calendar date: undefined when absent, else a 400 naming it. */
export function calendarDateParameter(
  field: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isCalendarDate(value))
    throw new InvalidInputException([{ field, message: calendarDateMessage(field) }]);
  return value;
}

/** An optional query parameter holding a whole number from `min` to `max`: `fallback` when absent, else a 400 naming it. */
export function wholeNumberParameter(
  field: string,
  value: string | undefined,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidInputException([
      { field, message: `${field} must be a whole number from ${min} to ${max}` },
    ]);
  return n;
}

/** A Belgian phone number however typed (`081 23 45 67`, `+32 470 12 34 56`): see `belgianPhoneNumber`. */
export function IsBelgianPhone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBelgianPhone',
      validator: {
        validate: (value) => typeof value === 'string' && belgianPhoneNumber(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'the value'} must be a Belgian phone number, such as 081 23 45 67 or +32 470 12 34 56`,
      },
    },
    options,
  );
}
