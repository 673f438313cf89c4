import { randomUUID } from 'node:crypto';
import {
  CallHandler,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import {
  ACCESS_PURPOSE_KEY,
  AccessLog,
  AccessPurpose,
  AccessRecord,
  outcomeOf,
  withAccessRecord,
} from '@relais/access-log';
import type { AuthenticatedRequest } from '@relais/auth';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { mergeMap, Observable } from 'rxjs';
import { CLOCK, Clock } from '@relais/kernel';

/** A caller's own request id is kept when it is a plain token; any other gets one of ours. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

const RECORD = Symbol('relais:access-record');

type RecordedRequest = AuthenticatedRequest & { [RECORD]?: AccessRecord };

export function accessRecordOf(request: Request): AccessRecord | undefined {
  return (request as RecordedRequest)[RECORD];
}

/**
 * Gives each request its id (`X-Request-Id`, echoed in the answer) and its access record, and
 * runs the rest of it with that record, so the code that reads case content can note it.
 */
export function accessRecording(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const given = request.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    const record = new AccessRecord(requestId, request.ip ?? request.socket.remoteAddress ?? null);
    (request as RecordedRequest)[RECORD] = record;
    withAccessRecord(record, next);
  };
}

/**
 * Runs first of the guards, and refuses nothing: it marks the request with its route's declared
 * purpose before any other guard may refuse it, so that a refusal is logged too.
 */
@Injectable()
export class AccessPurposeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const record = accessRecordOf(request);
    if (record) {
      record.purpose = this.reflector.get<AccessPurpose | undefined>(
        ACCESS_PURPOSE_KEY,
        context.getHandler(),
      );
      record.route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    }
    return true;
  }
}

/** The access log could not be written: the answer is withheld (503). */
export class AccessLogUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The access log cannot be written', { cause });
    this.name = 'AccessLogUnavailableError';
  }
}

/** A route read case content without declaring why: a programming error, never served. */
export class UndeclaredCaseReadError extends Error {
  constructor(route: string) {
    super(`${route} read case content but declares no access purpose (@AccessPurpose)`);
    this.name = 'UndeclaredCaseReadError';
  }
}

/** Writes a request's one entry, for its answer or its refusal. */
@Injectable()
export class AccessLogging {
  constructor(
    private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The entry of a request on a route that declares a purpose, by a signed-in caller, answered
   * with `status`; nothing for any other request, or for a 5xx (nothing was answered).
   */
  async write(request: Request, status: number): Promise<void> {
    const record = accessRecordOf(request);
    const principal = (request as RecordedRequest).principal;
    if (!record || record.written || !record.purpose || !principal || status >= 500) return;
    record.written = true;
    try {
      await this.log.write({
        at: this.clock.now(),
        staffId: principal.staffId,
        organisationId: principal.organisationId,
        route: record.route ?? `${request.method} ${request.path}`,
        purpose: record.purpose,
        outcome: outcomeOf(status),
        status,
        caseIds: record.caseIds,
        subjectIds: record.subjectIds,
        requestId: record.requestId,
        clientAddress: record.clientAddress,
      });
    } catch (error) {
      throw new AccessLogUnavailableError(error);
    }
  }
}

/**
 * An answer on a route that declares a purpose leaves only once its entry is written; a route
 * that read case content without declaring one answers 500. Refusals are logged by the
 * exception filter, which sees those of the guards too.
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly logging: AccessLogging,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const record = accessRecordOf(request);
        if (record && !record.purpose && record.touchedCaseContent) {
          throw new UndeclaredCaseReadError(record.route ?? request.path);
        }
        await this.logging.write(request, status);
        return body;
      }),
    );
  }
}
