import { Injectable, NestMiddleware, PipeTransform } from '@nestjs/common';
import {
  assertSaneInput,
  contentTypeOf,
  hasBody,
  InvalidInputException,
  readBodyText,
} from '@relais/platform';
import {
  parseProtocolDocument,
  ProtocolDefinition,
  ProtocolDocumentError,
  ProtocolDocumentFormat,
} from '@relais/protocol';
import { BODY_LIMITS } from '@relais/wire';
import type { NextFunction, Request, Response } from 'express';

export const YAML_MEDIA_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

/**
 * Keeps a YAML request body as text, so the protocol's problems can name the lines its author
 * wrote. JSON bodies are left to the application's JSON parser.
 */
@Injectable()
export class YamlBodyMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (!hasBody(request) || !YAML_MEDIA_TYPES.includes(contentTypeOf(request).mediaType))
      return next();
    readBodyText(request, BODY_LIMITS.documentBytes).then((text) => {
      (request as Request & { body: unknown }).body = text;
      next();
    }, next);
  }
}

/**
 * The request body as a protocol definition: YAML text as sent, or a JSON object (whose lines are
 * counted in its two-space layout, as `JSON.stringify(body, null, 2)` writes it).
 */
@Injectable()
export class ProtocolDocumentPipe implements PipeTransform<unknown, ProtocolDefinition> {
  transform(body: unknown): ProtocolDefinition {
    if (typeof body === 'string') return parsed(body, 'yaml');
    if (typeof body === 'object' && body !== null && Object.keys(body).length > 0)
      return parsed(JSON.stringify(body, null, 2), 'json');
    throw new InvalidInputException([
      {
        field: '',
        message: 'send the protocol document as application/json or application/yaml',
      },
    ]);
  }
}

function parsed(text: string, format: ProtocolDocumentFormat): ProtocolDefinition {
  try {
    const definition = parseProtocolDocument(text, format);
    assertSaneInput(definition);
    return definition;
  } catch (error) {
    if (!(error instanceof ProtocolDocumentError)) throw error;
    throw new InvalidInputException(
      error.problems.map(({ path, line, message, code, params }) => ({
        field: path,
        message: line === undefined ? message : `${message} (line ${line})`,
        code,
        params: { ...params, ...(line === undefined ? {} : { line }) },
      })),
    );
  }
}
