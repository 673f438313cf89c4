import { isAlias, isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { DocumentPath, ProtocolProblem } from './protocol-problem';

/** A document's value, what stopped it from being read, and the line of any path in it. */
export interface SourceDocument {
  readonly value: unknown;
  readonly problems: readonly ProtocolProblem[];
  lineOf(path: DocumentPath): number | undefined;
}

export function readYaml(text: string): SourceDocument {
  const { doc, lineOf, lineAt } = parseYaml(text);
  // After the first syntax error, the parser's next ones mostly echo it on the lines below.
  const problems = doc.errors.slice(0, 1).map((error) => ({
    path: '',
    code: 'PROTOCOL_SYNTAX' as const,
    line: lineAt(error.pos[0]),
    message: error.message,
  }));
  if (problems.length > 0) return { value: undefined, problems, lineOf };
  try {
    return { value: doc.toJS(), problems, lineOf };
  } catch (error) {
    // `yaml` refuses to expand aliases past a bound (a "billion laughs"): the author's problem.
    const message = error instanceof Error ? error.message : String(error);
    return {
      value: undefined,
      problems: [{ path: '', code: 'PROTOCOL_SYNTAX' as const, line: undefined, message }],
      lineOf,
    };
  }
}

/** JSON is YAML: the `yaml` parser gives the lines, `JSON.parse` the value and the syntax errors. */
export function readJson(text: string): SourceDocument {
  const { doc, lineOf, lineAt } = parseYaml(text);
  try {
    const value: unknown = JSON.parse(text);
    return {
      value,
      // JSON.parse keeps the last of two equal keys; a protocol must not hide the first.
      problems: doc.errors
        .filter((error) => error.code === 'DUPLICATE_KEY')
        .map((error) => ({
          path: '',
          code: 'PROTOCOL_SYNTAX' as const,
          line: lineAt(error.pos[0]),
          message: error.message,
        })),
      lineOf,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      value: undefined,
      problems: [
        {
          path: '',
          code: 'PROTOCOL_SYNTAX' as const,
          line: lineAt(jsonErrorOffset(text, message)),
          message: tidy(message),
        },
      ],
      lineOf,
    };
  }
}

function parseYaml(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return {
    doc,
    lineAt,
    lineOf: (path: DocumentPath) => {
      const offset = offsetOf(doc, path);
      return offset === undefined ? undefined : lineAt(offset);
    },
  };
}

/**
 * The offset of the key that holds the value at `path` (a block value starts a line below its key),
 * or of the list item; when the path goes further than the document, of its deepest existing part.
 */
function offsetOf(doc: Document, path: DocumentPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0];
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => hasValue(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) break;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function hasValue(key: unknown): key is { value: unknown } {
  return typeof key === 'object' && key !== null && 'value' in key;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const { range } = node as { range?: readonly number[] | null };
  return range?.[0];
}

/** Node 20 names the offset of most JSON syntax errors, but not of an unexpected token. */
function jsonErrorOffset(text: string, message: string): number {
  return Math.min(reportedOffset(text, message), text.trimEnd().length);
}

function reportedOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return Number(position[1]);
  const lineAndColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineAndColumn?.[1] !== undefined && lineAndColumn[2] !== undefined) {
    const lines = text.split('\n').slice(0, Number(lineAndColumn[1]) - 1);
    return lines.reduce((sum, line) => sum + line.length + 1, 0) + Number(lineAndColumn[2]) - 1;
  }
  return longestViablePrefix(text);
}

/** Every prefix of a valid JSON text only fails for ending early: the error is where that stops. */
function longestViablePrefix(text: string): number {
  const viable = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const position = /at position (\d+)/.exec(message)?.[1];
      return /Unexpected end of JSON input/.test(message) || Number(position) >= length;
    }
  };
  let [low, high] = [0, text.length];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (viable(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** V8 quotes the text around some errors: "Unexpected token '}', …"ys": },"… is not valid JSON". */
function tidy(message: string): string {
  return message.replace(/, .*is not valid JSON$/s, '');
}
