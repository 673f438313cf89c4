import { ArgumentsHost, ForbiddenException, Logger } from '@nestjs/common';
import { CaseRuleViolation } from '@relais/domain';
import { WrongExpectedVersionError } from '@relais/event-store';
import { AccessLogUnavailableError } from './access-logging';
import { InvalidInputException, ProblemDetailsFilter } from './problem-details.filter';

function answer(exception: unknown) {
  const sent: {
    status?: number;
    type?: string;
    body?: unknown;
    headers: Record<string, string | undefined>;
  } = { headers: {} };
  const response = {
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
    removeHeader(name: string) {
      delete sent.headers[name];
    },
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

  it('answers a client error raised outside Nest (http-errors) with its 4xx, logging nothing', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      type: 'entity.too.large',
      expose: true,
    });
    expect(answer(tooLarge)).toMatchObject({
      status: 413,
      type: 'application/problem+json',
      body: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'request entity too large' },
    });
    const hidden = Object.assign(new Error('at /srv/relais/x.js:3'), { statusCode: 400 });
    expect(answer(hidden)).toMatchObject({ status: 400 });
    expect(JSON.stringify(answer(hidden).body)).not.toContain('/srv');
    expect(logged).not.toHaveBeenCalled();
    expect(answer(Object.assign(new Error('boom'), { status: 503 }))).toMatchObject({
      status: 500,
    });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });

  it('answers 503 ACCESS_LOG_UNAVAILABLE when a read’s entry cannot be written, with nothing the handler had set', () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sent = answer(
      new AccessLogUnavailableError(new Error('relation "access_log" does not exist')),
    );
    expect(sent).toMatchObject({
      status: 503,
      type: 'application/problem+json',
      body: { code: 'ACCESS_LOG_UNAVAILABLE' },
      headers: { 'Retry-After': '5' },
    });
    expect(warned).toHaveBeenCalledWith(
      expect.stringContaining(
        'The access log cannot be written (relation "access_log" does not exist)',
      ),
    );
    warned.mockRestore();
  });

  it('names a field once when two of its constraints say the same', () => {
    const sent = answer(
      InvalidInputException.fromValidationErrors([
        {
          property: 'niss',
          constraints: { maxLength: 'niss must be 11 digits', matches: 'niss must be 11 digits' },
          children: [],
        },
      ]),
    );
    expect(sent.body).toMatchObject({
      errors: [{ field: 'niss', message: 'niss must be 11 digits' }],
    });
  });
});
