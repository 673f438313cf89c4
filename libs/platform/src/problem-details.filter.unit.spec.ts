import { ArgumentsHost, ForbiddenException } from '@nestjs/common';
import { CaseRuleViolation } from '@relais/domain';
import { WrongExpectedVersionError } from '@relais/event-store';
import { InvalidInputException, ProblemDetailsFilter } from './problem-details.filter';

function answer(exception: unknown) {
  const sent: { status?: number; type?: string; body?: unknown } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(type: string) {
      sent.type = type;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return sent;
}

describe('ProblemDetailsFilter', () => {
  it('answers invalid input with 400 and every field', () => {
    const sent = answer(new InvalidInputException([{ field: 'occurredOn', message: 'bad date' }]));
    expect(sent.status).toBe(400);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'occurredOn', message: 'bad date' }],
    });
  });

  it('answers a refused rule with 422 and its code', () => {
    expect(answer(new CaseRuleViolation('NOT_A_PARTNER', 'no'))).toMatchObject({
      status: 422,
      body: { code: 'NOT_A_PARTNER' },
    });
  });

  it('answers a lost race with 409', () => {
    expect(answer(new WrongExpectedVersionError('case-1', 3, 4))).toMatchObject({
      status: 409,
      body: { code: 'VERSION_CONFLICT' },
    });
  });

  it('keeps HTTP errors, and hides everything else behind a bare 500', () => {
    expect(answer(new ForbiddenException('nope'))).toMatchObject({
      status: 403,
      body: { detail: 'nope' },
    });
    const hidden = answer(new Error('select * from secrets failed at line 3'));
    expect(hidden).toMatchObject({ status: 500 });
    expect(JSON.stringify(hidden.body)).not.toContain('secrets');
  });
});
