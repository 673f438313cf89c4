import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { checkProtocol } from './protocol-checks';
import type { ProtocolDefinition } from './protocol-definition';
import {
  formatPath,
  ProtocolDocumentError,
  type Finding,
  type ProtocolProblem,
} from './protocol-problem';
import { schemaFindings } from './schema-problems';
import { readJson, readYaml, type SourceDocument } from './source-document';

export type ProtocolDocumentFormat = 'yaml' | 'json';

/**
 * Reads a protocol written as YAML or JSON, or throws a `ProtocolDocumentError` naming the path and
 * line of every problem. The protocol's own rules (real dates, unique ids, fields the events have)
 * are checked once the document has the schema's shape.
 */
export function parseProtocolDocument(
  text: string,
  format: ProtocolDocumentFormat = 'yaml',
): ProtocolDefinition {
  const source = format === 'json' ? readJson(text) : readYaml(text);
  if (source.problems.length > 0) throw new ProtocolDocumentError(source.problems);
  const protocol = source.value;
  const findings = schemaFindings(protocol);
  if (findings !== 'valid') throw new ProtocolDocumentError(located(findings, source));
  const broken = checkProtocol(protocol as ProtocolDefinition);
  if (broken.length > 0) throw new ProtocolDocumentError(located(broken, source));
  return protocol as ProtocolDefinition;
}

/** Reads a `.yaml`, `.yml` or `.json` protocol file; its problems are prefixed with the path. */
export async function loadProtocolFile(path: string): Promise<ProtocolDefinition> {
  const format = formatOf(path);
  if (format === undefined) {
    throw new ProtocolDocumentError(
      [
        {
          path: '',
          line: undefined,
          code: 'PROTOCOL_FILE_TYPE',
          message: 'a protocol file must end in .yaml, .yml or .json',
        },
      ],
      path,
    );
  }
  const text = await readFile(path, 'utf8');
  try {
    return parseProtocolDocument(text, format);
  } catch (error) {
    if (error instanceof ProtocolDocumentError)
      throw new ProtocolDocumentError(error.problems, path);
    throw error;
  }
}

function formatOf(path: string): ProtocolDocumentFormat | undefined {
  switch (extname(path).toLowerCase()) {
    case '.yaml':
    case '.yml':
      return 'yaml';
    case '.json':
      return 'json';
    default:
      return undefined;
  }
}

function located(findings: readonly Finding[], source: SourceDocument): ProtocolProblem[] {
  return findings
    .map(({ at, ...problem }) => ({ path: formatPath(at), line: source.lineOf(at), ...problem }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
