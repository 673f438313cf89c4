/** Where a value sits in a document: keys of maps and indices of lists, from the root. */
export type DocumentPath = readonly (string | number)[];

/** What is wrong, as a stable code a client words in its user's language. */
export type ProtocolProblemCode =
  | 'PROTOCOL_SYNTAX'
  | 'PROTOCOL_FILE_TYPE'
  | 'PROTOCOL_FIELD_REQUIRED'
  | 'PROTOCOL_UNKNOWN_FIELD'
  | 'PROTOCOL_DID_YOU_MEAN'
  | 'PROTOCOL_NOT_ALLOWED'
  | 'PROTOCOL_WRONG_TYPE'
  | 'PROTOCOL_NOT_A_SLUG'
  | 'PROTOCOL_NOT_A_DATE'
  | 'PROTOCOL_EMPTY'
  | 'PROTOCOL_TOO_LONG'
  | 'PROTOCOL_AT_LEAST'
  | 'PROTOCOL_AT_MOST'
  | 'PROTOCOL_REPEATED_ITEM'
  | 'PROTOCOL_INVALID'
  | 'PROTOCOL_NOT_A_CALENDAR_DATE'
  | 'PROTOCOL_DUPLICATE_RULE_ID'
  | 'PROTOCOL_EVENT_HAS_NO_FIELD'
  | 'PROTOCOL_EVENT_HAS_NO_COMMUNE'
  | 'PROTOCOL_NOT_A_COMMUNE_FIELD';

/** The values a problem's words name (`{ n: 0 }`, `{ suggestion: 'share' }`). */
export type ProblemParams = Readonly<Record<string, string | number>>;

/** A problem where the document's lines are not known yet. */
export interface Finding {
  readonly at: DocumentPath;
  readonly code: ProtocolProblemCode;
  readonly params?: ProblemParams;
  /** In English, for the command line and the logs. */
  readonly message: string;
}

export interface ProtocolProblem {
  readonly code: ProtocolProblemCode;
  readonly params?: ProblemParams;
  /** Readable path to the value, as in `rules[2].deadline.workingDays`; '' for the whole document. */
  readonly path: string;
  /** 1-based line in the source, when the value (or its nearest parent) has one. */
  readonly line: number | undefined;
  readonly message: string;
}

/** A protocol document that cannot be used, with every problem found in it. */
export class ProtocolDocumentError extends Error {
  constructor(
    readonly problems: readonly ProtocolProblem[],
    /** The file the document was read from, when there was one. */
    readonly source?: string,
  ) {
    super(describeProblems(problems, source));
    this.name = 'ProtocolDocumentError';
  }
}

export function formatPath(path: DocumentPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    if (!/^[A-Za-z_$][\w$]*$/.test(segment)) return `${text}[${JSON.stringify(segment)}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
}

export function describeProblem({ path, line, message }: ProtocolProblem): string {
  const where = [path || '(document)', line === undefined ? '' : ` (line ${line})`].join('');
  return `${where}: ${message}`;
}

function describeProblems(problems: readonly ProtocolProblem[], source?: string): string {
  const heading = `${source === undefined ? '' : `${source}: `}invalid protocol document`;
  if (problems.length === 1 && problems[0] !== undefined) {
    return `${heading}: ${describeProblem(problems[0])}`;
  }
  return [`${heading} (${problems.length} problems)`, ...problems.map(describeProblem)].join(
    '\n  ',
  );
}
