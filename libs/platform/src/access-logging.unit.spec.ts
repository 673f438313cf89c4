import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessEntry, AccessLog, noteCaseAccess } from '@relais/access-log';
import type { Request, Response } from 'express';
import { defer, firstValueFrom, of } from 'rxjs';
import {
  accessRecordOf,
  accessRecording,
  AccessLogging,
  AccessLogInterceptor,
  AccessLogUnavailableError,
  UndeclaredCaseReadError,
} from './access-logging';

const AT = new Date('2026-11-20T10:00:00+01:00');
const principal = { staffId: 'staff-1', organisationId: 'cpas-ciney', roles: [], email: 'a@b.c' };

/** A request through the recording middleware, then `handle` as its route, through the interceptor. */
async function answered(
  options: {
    purpose?: 'case_follow_up';
    requestId?: string;
    write?: (entry: AccessEntry) => Promise<void>;
    handle?: () => unknown;
  } = {},
) {
  const written: AccessEntry[] = [];
  const log = {
    write: options.write ?? ((entry: AccessEntry) => Promise.resolve(void written.push(entry))),
  } as unknown as AccessLog;
  const headers: Record<string, string> = {};
  const request = {
    method: 'GET',
    path: '/api/v1/cases/case-1',
    route: { path: '/api/v1/cases/:id' },
    ip: '127.0.0.1',
    headers: options.requestId ? { 'x-request-id': options.requestId } : {},
    principal,
  } as unknown as Request;
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
  } as unknown as Response;
  const interceptor = new AccessLogInterceptor(
    new AccessLogging(log, { now: () => AT }),
    new Reflector(),
  );
  const context = {
    getType: () => 'http',
    getHandler: () => () => undefined,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  const outcome = await new Promise<{ body?: unknown; error?: unknown }>((resolve) => {
    accessRecording()(request, response, () => {
      const record = accessRecordOf(request);
      if (record) {
        record.purpose = options.purpose;
        record.route = 'GET /api/v1/cases/:id';
      }
      void firstValueFrom(
        interceptor.intercept(context, {
          handle: () => defer(() => of(options.handle ? options.handle() : { id: 'case-1' })),
        }),
      ).then(
        (body) => resolve({ body }),
        (error: unknown) => resolve({ error }),
      );
    });
  });
  return { ...outcome, written, headers };
}

describe('access logging', () => {
  it('writes one entry with what the route read before the answer leaves', async () => {
    const { body, written, headers } = await answered({
      purpose: 'case_follow_up',
      requestId: 'req-42',
      handle: () => {
        noteCaseAccess(['case-1'], ['subject-2', 'subject-1']);
        return { id: 'case-1' };
      },
    });
    expect(body).toEqual({ id: 'case-1' });
    expect(headers['x-request-id']).toBe('req-42');
    expect(written).toEqual([
      {
        at: AT,
        staffId: 'staff-1',
        organisationId: 'cpas-ciney',
        route: 'GET /api/v1/cases/:id',
        purpose: 'case_follow_up',
        outcome: 'allowed',
        status: 200,
        caseIds: ['case-1'],
        subjectIds: ['subject-1', 'subject-2'],
        requestId: 'req-42',
        clientAddress: '127.0.0.1',
      },
    ]);
  });

  it('withholds the answer when its entry cannot be written', async () => {
    const { body, error } = await answered({
      purpose: 'case_follow_up',
      write: () => Promise.reject(new Error('relation "access_log" does not exist')),
    });
    expect(body).toBeUndefined();
    expect(error).toBeInstanceOf(AccessLogUnavailableError);
  });

  it('refuses to answer a route that read case content without declaring a purpose', async () => {
    const { body, error, written } = await answered({
      handle: () => {
        noteCaseAccess(['case-1']);
        return { id: 'case-1' };
      },
    });
    expect(body).toBeUndefined();
    expect(error).toBeInstanceOf(UndeclaredCaseReadError);
    expect(written).toEqual([]);
  });

  it('writes nothing for a route without a purpose that read no case content', async () => {
    const { body, written } = await answered({ handle: () => ({ communes: [] }) });
    expect(body).toEqual({ communes: [] });
    expect(written).toEqual([]);
  });

  it('gives a request its own id when the one it brings is not a plain token', async () => {
    const { headers, written } = await answered({
      purpose: 'case_follow_up',
      requestId: '=cmd|" /c calc"!A1',
    });
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(written[0]?.requestId).toBe(headers['x-request-id']);
  });
});
