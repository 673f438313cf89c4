import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import {
  BadRequestException,
  CanActivate,
  ExecutionContext,
  HttpException,
  Injectable,
  PayloadTooLargeException,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BODY_LIMITS } from '@relais/wire';
import type { NextFunction, Request, Response } from 'express';
import { inspectInput } from './input-inspection';
import { InvalidInputException } from './problem-details.filter';

const tooLarge = (maxBytes: number) =>
  new PayloadTooLargeException({
    message: `This body is at most ${maxBytes} bytes`,
    code: 'PAYLOAD_TOO_LARGE',
  });

const DECODERS: Readonly<Record<string, (() => NodeJS.ReadWriteStream) | undefined>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The media type and charset of a request, lower-case: `application/json`, `utf-8`. */
export function contentTypeOf(request: IncomingMessage): { mediaType: string; charset?: string } {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((p) => p.trim().split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1];
  return {
    mediaType: type.trim().toLowerCase(),
    ...(charset === undefined
      ? {}
      : { charset: charset.trim().replace(/^"|"$/g, '').toLowerCase() }),
  };
}

export function hasBody(request: IncomingMessage): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? 0) > 0
  );
}

/**
 * A request's body as UTF-8 text, its content-encoding (gzip, deflate, br) undone, at most
 * `maxBytes` once decoded. A body too large answers 413 once the client has sent it all (so that
 * it reads the answer); a body that does not decode answers 400; another charset or encoding, 415.
 */
export function readBodyText(request: IncomingMessage, maxBytes: number): Promise<string> {
  const { charset } = contentTypeOf(request);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return Promise.reject(
      new UnsupportedMediaTypeException({
        message: `The body must be UTF-8, not ${charset}`,
        code: 'UNSUPPORTED_CHARSET',
      }),
    );
  }
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' ? undefined : DECODERS[encoding];
  if (encoding !== 'identity' && decoder === undefined) {
    return Promise.reject(
      new UnsupportedMediaTypeException({
        message: `Content-Encoding ${encoding} is not supported: send gzip, deflate, br or none`,
        code: 'UNSUPPORTED_ENCODING',
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const decoded: Readable = decoder ? (request.pipe(decoder()) as unknown as Readable) : request;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let failure: HttpException | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    /** Reads what remains of the request without keeping it, then answers. */
    const fail = (error: HttpException) => {
      if (failure) return;
      failure = error;
      if (decoded !== request) {
        request.unpipe(decoded as unknown as NodeJS.WritableStream);
        decoded.destroy();
        request.resume();
      }
      if (request.readableEnded) settle(() => reject(error));
      else request.once('end', () => settle(() => reject(error)));
    };
    decoded.on('data', (chunk: Buffer) => {
      if (failure) return;
      size += chunk.length;
      if (size > maxBytes) fail(tooLarge(maxBytes));
      else chunks.push(chunk);
    });
    decoded.on('end', () => {
      if (!failure) settle(() => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    decoded.on('error', () =>
      fail(
        new BadRequestException({
          message: `The body is not encoded as its Content-Encoding (${encoding}) says`,
          code: 'MALFORMED_BODY',
        }),
      ),
    );
    const cutShort = () =>
      settle(() =>
        reject(failure ?? new BadRequestException({ message: 'The request was cut short' })),
      );
    request.on('error', cutShort);
    request.on('close', () => {
      if (!request.readableEnded) cutShort();
    });
  });
}

const bodySizes = new WeakMap<IncomingMessage, number>();

const isJson = (mediaType: string) =>
  mediaType === 'application/json' || mediaType.endsWith('+json');

/**
 * The JSON body parser of every process: bodies up to the largest limit a route takes, objects and
 * arrays only, inspected as a whole (`inspectInput`) before any route sees them. Other media types
 * are left unread, for the routes that take them (YAML protocol documents).
 */
export function jsonBodyParser(limits = BODY_LIMITS) {
  const maxBytes = Math.max(limits.jsonBytes, limits.documentBytes);
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!hasBody(request) || !isJson(contentTypeOf(request).mediaType)) return next();
    readBodyText(request, maxBytes)
      .then((text) => {
        bodySizes.set(request, Buffer.byteLength(text));
        request.body = parsed(text, limits);
      })
      .then(() => next(), next);
  };
}

function parsed(text: string, limits: typeof BODY_LIMITS): unknown {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestException({
      message: `The body is not JSON: ${(error as Error).message}`,
      code: 'MALFORMED_JSON',
    });
  }
  if (typeof value !== 'object' || value === null) {
    throw new BadRequestException({
      message: 'The body must be a JSON object or array',
      code: 'MALFORMED_JSON',
    });
  }
  assertSaneInput(value, limits);
  return value;
}

/** Refuses a value nested too deep, with too many entries, or holding forbidden characters. */
export function assertSaneInput(value: unknown, limits: typeof BODY_LIMITS = BODY_LIMITS): void {
  const problem = inspectInput(value, limits);
  switch (problem?.kind) {
    case undefined:
      return;
    case 'depth':
      throw new BadRequestException({
        message: `The body nests objects and arrays more than ${problem.limit} deep`,
        code: 'NESTED_TOO_DEEP',
      });
    case 'entries':
      throw new BadRequestException({
        message: `The body holds more than ${problem.limit} keys and array items`,
        code: 'TOO_MANY_KEYS',
      });
    case 'characters':
      throw new InvalidInputException(problem.errors);
    default: {
      const never: never = problem;
      return never;
    }
  }
}

const MAX_BODY_BYTES = 'relais:maxBodyBytes';

/** A route that takes a larger body than `BODY_LIMITS.jsonBytes` (protocol documents). */
export const MaxBodyBytes = (bytes: number) => SetMetadata(MAX_BODY_BYTES, bytes);

/**
 * A body the route can read (JSON, or what a route's own middleware read, such as YAML), within
 * the route's limit: else 415 or 413, before any pipe sees it.
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (hasBody(request) && request.body === undefined) {
      throw new UnsupportedMediaTypeException({
        message: `A body of type ${contentTypeOf(request).mediaType || 'unknown'} is not read here: send application/json`,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    const limit =
      this.reflector.get<number | undefined>(MAX_BODY_BYTES, context.getHandler()) ??
      BODY_LIMITS.jsonBytes;
    if ((bodySizes.get(request) ?? 0) > limit) throw tooLarge(limit);
    return true;
  }
}
