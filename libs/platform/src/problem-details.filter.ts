import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
  ValidationError,
} from '@nestjs/common';
import { isDatabaseUnavailable } from '@relais/database';
import { DomainRuleViolation, NotFound, PermissionDenied } from '@relais/domain';
import { WrongExpectedVersionError } from '@relais/event-store';
import type { FieldProblem, Problem } from '@relais/wire';
import type { Request, Response } from 'express';
import { AccessLogging, AccessLogUnavailableError } from './access-logging';

export type { Problem } from '@relais/wire';

/** Thrown by the validation pipe: one entry per bad field, with its path (`subjects.0.role`). */
export class InvalidInputException extends BadRequestException {
  constructor(readonly errors: readonly FieldProblem[]) {
    super('Invalid input');
  }

  static fromValidationErrors(errors: readonly ValidationError[]): InvalidInputException {
    return new InvalidInputException(flatten(errors, ''));
  }
}

/**
 * A query parameter that takes one of a few values: undefined when absent, else the value, or a
 * 400 naming the parameter.
 */
export function oneOf<T extends string>(
  field: string,
  allowed: readonly T[],
  value: string | undefined,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputException([
      { field, message: `${field} must be one of ${allowed.join(', ')}` },
    ]);
  }
  return value as T;
}

/** A whole number from 1 to `max` in a query parameter, `fallback` when absent, else a 400 naming it. */
export function positiveInteger(
  field: string,
  value: string | undefined,
  fallback: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidInputException([
      { field, message: `${field} must be a whole number from 1 to ${max}` },
    ]);
  return n;
}

function flatten(errors: readonly ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = new Set(Object.values(error.constraints ?? {}));
    const own = [...messages].map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** A 503 the client may retry: a read again, a write with the same Idempotency-Key. */
function unavailable(code: string, what: string): Problem {
  return {
    type: 'about:blank',
    title: 'Service Unavailable',
    status: HttpStatus.SERVICE_UNAVAILABLE,
    code,
    detail: `${what}; try again in ${DATABASE_RETRY_AFTER_SECONDS} s, a write with the same Idempotency-Key`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRuleViolation(exception: unknown): exception is DomainRuleViolation {
  return exception instanceof DomainRuleViolation;
}

/** The codes of the errors Express and its body parsers raise (http-errors `type`). */
const CODE_OF_TYPE: Readonly<Record<string, string>> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'MALFORMED_JSON',
  'charset.unsupported': 'UNSUPPORTED_CHARSET',
  'encoding.unsupported': 'UNSUPPORTED_ENCODING',
  'request.aborted': 'REQUEST_ABORTED',
};

/**
 * A client's mistake raised outside Nest, by Express or a parser (an http-errors object with a
 * 4xx `status`): its status and code, nothing logged. Its message only when it is meant for
 * clients (`expose`), as http-errors marks it.
 */
function clientErrorOf(exception: unknown): Problem | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, statusCode, type, expose, message } = exception as Record<string, unknown>;
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499) return undefined;
  const known = typeof type === 'string' ? CODE_OF_TYPE[type] : undefined;
  return {
    type: 'about:blank',
    title: HttpStatus[code] ?? 'Error',
    status: code,
    ...(expose === true && typeof message === 'string' ? { detail: message } : {}),
    ...(known ? { code: known } : {}),
  };
}

/**
 * What a controller may say when it refuses with an HttpException: its stable `code`, the `params`
 * the code's message names, and the `field` the refusal is about.
 */
interface RefusalBody {
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly field?: string;
}

/** How long a client waits before trying again while PostgreSQL cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The HTTP answer of a domain rule: 422 (403 when it denies a permission, 404 when its subject does not exist), with the rule's code. */
const STATUS_OF_RULE = HttpStatus.UNPROCESSABLE_ENTITY;

/**
 * Every error leaves as `application/problem+json` (RFC 9457): field paths for invalid input,
 * stable codes for refused rules, and never a stack trace or SQL.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  private unavailableSince: number | undefined;
  private unavailableAnswers = 0;

  constructor(@Optional() private readonly accessLogging?: AccessLogging) {}

  /**
   * A refusal on a route that declares an access purpose is logged before it is answered; when
   * its entry cannot be written, the answer is a 503 like any other unlogged answer.
   */
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    if (this.accessLogging === undefined) return this.answer(response, problem, exception);
    void this.accessLogging.write(http.getRequest<Request>(), problem.status).then(
      () => this.answer(response, problem, exception),
      (error: unknown) => this.answer(response, this.toProblem(error), error),
    );
  }

  private answer(response: Response, problem: Problem, exception: unknown): void {
    if (problem.code === 'DATABASE_UNAVAILABLE' || problem.code === 'ACCESS_LOG_UNAVAILABLE') {
      this.noteUnavailable(exception);
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    if (problem.code === 'ACCESS_LOG_UNAVAILABLE') {
      // What the handler said of the answer it was about to give does not go out either.
      response.removeHeader('ETag');
      response.removeHeader('Location');
    }
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  /** One warning per outage's first answer and then every few seconds, not one per request. */
  private noteUnavailable(exception: unknown): void {
    this.unavailableAnswers += 1;
    const now = Date.now();
    if (
      this.unavailableSince !== undefined &&
      now - this.unavailableSince < DATABASE_RETRY_AFTER_SECONDS * 1000
    )
      return;
    const what =
      exception instanceof AccessLogUnavailableError
        ? `The access log cannot be written (${messageOf(exception.cause)})`
        : `PostgreSQL cannot be reached (${messageOf(exception)})`;
    this.logger.warn(`${what}: ${this.unavailableAnswers} answer(s) 503`);
    this.unavailableSince = now;
    this.unavailableAnswers = 0;
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof AccessLogUnavailableError) {
      return unavailable(
        'ACCESS_LOG_UNAVAILABLE',
        'The access log cannot be written, so nothing is answered',
      );
    }
    if (isDatabaseUnavailable(exception)) {
      return unavailable('DATABASE_UNAVAILABLE', 'The database cannot be reached');
    }
    if (exception instanceof InvalidInputException) {
      return {
        type: 'about:blank',
        title: 'Invalid input',
        status: HttpStatus.BAD_REQUEST,
        code: 'VALIDATION_FAILED',
        detail: exception.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors: exception.errors,
      };
    }
    if (isRuleViolation(exception)) {
      const rule = exception;
      const status =
        rule instanceof PermissionDenied
          ? HttpStatus.FORBIDDEN
          : rule instanceof NotFound
            ? HttpStatus.NOT_FOUND
            : STATUS_OF_RULE;
      return {
        type: 'about:blank',
        title: status === STATUS_OF_RULE ? 'Refused by the rules' : (HttpStatus[status] ?? 'Error'),
        status,
        code: rule.code,
        detail: rule.message,
        ...(rule.field ? { errors: [{ field: rule.field, message: rule.message }] } : {}),
      };
    }
    if (exception instanceof WrongExpectedVersionError) {
      return {
        type: 'about:blank',
        title: 'Conflict',
        status: HttpStatus.CONFLICT,
        code: 'VERSION_CONFLICT',
        detail: `The case changed meanwhile (now at version ${exception.actual}); reload and try again`,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'string'
          ? body
          : typeof body === 'object' && body && 'message' in body
            ? String(body.message)
            : exception.message;
      const fields = typeof body === 'object' && body ? (body as RefusalBody) : {};
      const code = typeof fields.code === 'string' ? fields.code : undefined;
      return {
        type: 'about:blank',
        title: HttpStatus[status] ?? 'Error',
        status,
        detail,
        ...(code ? { code } : {}),
        ...(fields.params ? { params: fields.params } : {}),
        ...(fields.field ? { errors: [{ field: fields.field, message: detail }] } : {}),
      };
    }
    const clientError = clientErrorOf(exception);
    if (clientError) return clientError;
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
    };
  }
}
