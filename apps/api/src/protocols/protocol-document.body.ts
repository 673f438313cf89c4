import { Injectable, NestMiddleware, PipeTransform } from '@nestjs/common';
import { InvalidInputException } from '@relais/platform';
import {
  parseProtocolDocument,
  ProtocolDefinition,
  ProtocolDocumentError,
  ProtocolDocumentFormat,
} from '@relais/protocol';
import type { NextFunction, Request, Response } from 'express';

export const YAML_MEDIA_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];
const LIMIT_BYTES = 1_000_000;

/**
 * Keeps a YAML request body as text, so the protocol's problems can name the lines its author
 * wrote. JSON bodies are left to the application's JSON parser.
 */
@Injectable()
export class YamlBodyMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType === undefined || !YAML_MEDIA_TYPES.includes(mediaType)) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LIMIT_BYTES) chunks.push(chunk);
      else if (!refused) {
        refused = true;
        response
          .status(413)
          .type('application/problem+json')
          .json({
            type: 'about:blank',
            title: 'Payload Too Large',
            status: 413,
            detail: `A protocol document is at most ${LIMIT_BYTES} bytes`,
          });
      }
    });
    request.on('end', () => {
      if (refused) return;
      (request as Request & { body: unknown }).body = Buffer.concat(chunks).toString('utf8');
      next();
    });
    request.on('error', (error) => {
      if (!refused) next(error);
    });
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
    return parseProtocolDocument(text, format);
  } catch (error) {
    if (!(error instanceof ProtocolDocumentError)) throw error;
    throw new InvalidInputException(
      error.problems.map(({ path, line, message }) => ({
        field: path,
        message: line === undefined ? message : `${message} (line ${line})`,
      })),
    );
  }
}
