import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProtocolFile, parseProtocolDocument } from './protocol-document';
import { ProtocolDocumentError, type ProtocolProblem } from './protocol-problem';

const dinantPath = join(__dirname, '../../../protocols/dinant-cpas-saj.yaml');
const dinantYaml = readFileSync(dinantPath, 'utf8');

/** A small valid protocol; the comments give each line's number, which the tests assert. */
const protocolYaml = [
  'id: test-protocol', // 1
  'title: Protocole de test', // 2
  'version: 1', // 3
  'effectiveFrom: 2026-01-01', // 4
  'partners:', // 5
  '  - kind: CPAS', // 6
  '    arrondissements: [dinant]', // 7
  '  - organisation: saj-dinant', // 8
  'rules:', // 9
  '  - id: cpas-ris-suppressed', // 10
  '    title: Le CPAS informe le SAJ de la suppression du RIS', // 11
  '    trigger: { event: RisSuppressed }', // 12
  '    obliged: { kind: CPAS }', // 13
  '    recipients:', // 14
  '      - partnersOfKind: SAJ', // 15
  '    deadline: { workingDays: 5 }', // 16
  '    acknowledgement: { workingDays: 5 }', // 17
  '    share: [occurredOn, reason, effectiveOn]', // 18
  '    shareAssignedWorkerContact: true', // 19
  '    channels: [inbox, email]', // 20
  '    escalation: { unacknowledged: recipient_managers, loggedLate: obliged_managers }', // 21
  '  - id: cpas-family-relocated', // 22
  '    title: Le CPAS informe le CPAS de la nouvelle commune', // 23
  '    trigger: { event: FamilyRelocated }', // 24
  '    obliged: { kind: CPAS }', // 25
  '    recipients:', // 26
  '      - competentFor: CPAS', // 27
  '        communeField: destinationCommune', // 28
  '        when:', // 29
  '          - communeField: destinationCommune', // 30
  '            outsideTerritoryOfPartner: CPAS', // 31
  '    deadline: immediate', // 32
  '    acknowledgement: none', // 33
  '    share: [occurredOn, destinationCommune]', // 34
  '    shareAssignedWorkerContact: false', // 35
  '    channels: [inbox]', // 36
  '    escalation: { unacknowledged: none, loggedLate: none }', // 37
  '',
].join('\n');

/** The protocol with one fragment replaced; the fragment must occur exactly once. */
function edited(text: string, fragment: string, replacement: string): string {
  expect(text.split(fragment)).toHaveLength(2);
  return text.replace(fragment, replacement);
}

function refusalOf(text: string, format: 'yaml' | 'json' = 'yaml'): readonly ProtocolProblem[] {
  try {
    parseProtocolDocument(text, format);
  } catch (error) {
    if (error instanceof ProtocolDocumentError) return error.problems;
    throw error;
  }
  throw new Error('the document was accepted');
}

/** Where each problem is and what it says in English. */
function problemsOf(text: string, format: 'yaml' | 'json' = 'yaml') {
  return refusalOf(text, format).map(({ path, line, message }) => ({ path, line, message }));
}

/** Each problem's stable code and the values its words name, for a client to word it. */
function codesOf(text: string) {
  return refusalOf(text).map(({ path, code, params }) => ({ path, code, params }));
}

describe('parseProtocolDocument', () => {
  it('reads the shipped Dinant CPAS–SAJ protocol', () => {
    const protocol = parseProtocolDocument(dinantYaml);

    expect(protocol).toMatchObject({
      id: 'dinant-cpas-saj',
      version: 1,
      effectiveFrom: '2026-01-01',
      partners: [{ kind: 'CPAS', arrondissements: ['dinant'] }, { organisation: 'saj-dinant' }],
    });
    expect(protocol.rules.map((rule) => [rule.id, rule.trigger.event, rule.deadline])).toEqual([
      ['saj-aid-programme-changed', 'AidProgrammeChanged', { workingDays: 5 }],
      ['saj-case-judicialised', 'CaseJudicialised', { workingDays: 2 }],
      ['saj-file-closed', 'CaseClosed', { workingDays: 5 }],
      ['cpas-ris-suppressed', 'RisSuppressed', { workingDays: 5 }],
      ['cpas-family-relocated', 'FamilyRelocated', { workingDays: 5 }],
    ]);
    expect(protocol.rules.map((rule) => rule.acknowledgement)).toEqual(
      Array.from({ length: 5 }, () => ({ workingDays: 5 })),
    );
    const relocation = protocol.rules.find((rule) => rule.id === 'cpas-family-relocated');
    expect(relocation?.recipients).toEqual([
      { partnersOfKind: 'SAJ' },
      { competentFor: 'CPAS', communeField: 'destinationCommune' },
      {
        competentFor: 'SAJ',
        communeField: 'destinationCommune',
        when: [{ communeField: 'destinationCommune', outsideTerritoryOfPartner: 'SAJ' }],
      },
    ]);
    expect(relocation?.share).toEqual([
      'occurredOn',
      'fromCommune',
      'destinationCommune',
      'effectiveOn',
    ]);
  });

  it('reads the same protocol written as JSON identically', () => {
    const fromYaml = parseProtocolDocument(dinantYaml);

    expect(parseProtocolDocument(JSON.stringify(fromYaml, null, 2), 'json')).toEqual(fromYaml);
  });

  it('reads `immediate`, `none` and conditions on a recipient', () => {
    const relocation = parseProtocolDocument(protocolYaml).rules[1];

    expect(relocation).toMatchObject({ deadline: 'immediate', acknowledgement: 'none' });
  });

  it('names the line of a YAML syntax error', () => {
    const text = edited(
      protocolYaml,
      'title: Le CPAS informe le SAJ de la suppression du RIS',
      'title: Le CPAS informe le SAJ : suppression du RIS',
    );

    expect(problemsOf(text)).toEqual([
      { path: '', line: 11, message: 'Nested mappings are not allowed in compact mappings' },
    ]);
  });

  it('refuses aliases that expand a billionfold, as a problem of the document', () => {
    const names = 'abcdefghi'.split('');
    const text = names
      .map((name, i) => {
        const item = i === 0 ? '"x"' : `*${names[i - 1] ?? ''}`;
        return `${name}: &${name} [${Array.from({ length: 9 }, () => item).join(', ')}]`;
      })
      .join('\n');

    expect(problemsOf(text)).toEqual([
      {
        path: '',
        line: undefined,
        message: 'Excessive alias count indicates a resource exhaustion attack',
      },
    ]);
  });

  it('names the line of a badly indented field', () => {
    const text = edited(
      protocolYaml,
      '    obliged: { kind: CPAS }\n    recipients:\n      - partnersOfKind',
      '   obliged: { kind: CPAS }\n    recipients:\n      - partnersOfKind',
    );

    expect(problemsOf(text)).toEqual([
      { path: '', line: 13, message: 'Sequence item without - indicator' },
    ]);
  });

  it('gives each problem a stable code and the values its words name', () => {
    expect(
      codesOf(edited(protocolYaml, 'deadline: { workingDays: 5 }', 'deadlin: { workingDays: 5 }')),
    ).toEqual([
      { path: 'rules[0].deadline', code: 'PROTOCOL_FIELD_REQUIRED', params: undefined },
      {
        path: 'rules[0].deadlin',
        code: 'PROTOCOL_DID_YOU_MEAN',
        params: { value: 'deadlin', suggestion: 'deadline' },
      },
    ]);
    expect(
      codesOf(edited(protocolYaml, 'effectiveFrom: 2026-01-01', 'effectiveFrom: 2026-02-30')),
    ).toEqual([
      {
        path: 'effectiveFrom',
        code: 'PROTOCOL_NOT_A_CALENDAR_DATE',
        params: { date: '2026-02-30' },
      },
    ]);
    expect(
      codesOf(
        edited(protocolYaml, 'deadline: { workingDays: 5 }', 'deadline: { workingDays: 61 }'),
      ),
    ).toEqual([expect.objectContaining({ code: 'PROTOCOL_AT_MOST', params: { n: 60 } })]);
    expect(codesOf('rules: [')).toEqual([{ path: '', code: 'PROTOCOL_SYNTAX', params: undefined }]);
  });

  it('names a missing field and the line of the map that lacks it', () => {
    const text = edited(protocolYaml, '    deadline: { workingDays: 5 }\n', '');

    expect(problemsOf(text)).toEqual([
      { path: 'rules[0].deadline', line: 10, message: 'is required' },
    ]);
  });

  it('names an unknown field at its own line and suggests the one meant', () => {
    const text = edited(
      protocolYaml,
      'deadline: { workingDays: 5 }',
      'deadlin: { workingDays: 5 }',
    );

    expect(problemsOf(text)).toEqual([
      { path: 'rules[0].deadline', line: 10, message: 'is required' },
      {
        path: 'rules[0].deadlin',
        line: 16,
        message: 'is not a known field (did you mean deadline?)',
      },
    ]);
  });

  it('names a value outside an enumeration', () => {
    const text = edited(protocolYaml, 'event: RisSuppressed', 'event: RisSupressed');

    expect(problemsOf(text)).toEqual([
      {
        path: 'rules[0].trigger.event',
        line: 12,
        message: 'is not an allowed value (did you mean RisSuppressed?)',
      },
    ]);
  });

  it('refuses an effective date that is not on the calendar', () => {
    const text = edited(protocolYaml, 'effectiveFrom: 2026-01-01', 'effectiveFrom: 2026-02-30');

    expect(problemsOf(text)).toEqual([
      { path: 'effectiveFrom', line: 4, message: '2026-02-30 is not a calendar date' },
    ]);
  });

  it('refuses an effective date not written YYYY-MM-DD', () => {
    const text = edited(protocolYaml, 'effectiveFrom: 2026-01-01', 'effectiveFrom: 1/1/2026');

    expect(problemsOf(text)).toEqual([
      { path: 'effectiveFrom', line: 4, message: 'must be a date written YYYY-MM-DD' },
    ]);
  });

  it('refuses a deadline beyond 60 working days, and says so in its message', () => {
    const text = edited(
      protocolYaml,
      'deadline: { workingDays: 5 }',
      'deadline: { workingDays: 61 }',
    );

    expect(problemsOf(text)).toEqual([
      { path: 'rules[0].deadline.workingDays', line: 16, message: 'must be <= 60' },
    ]);
    expect(() => parseProtocolDocument(text)).toThrow(
      'invalid protocol document: rules[0].deadline.workingDays (line 16): must be <= 60',
    );
  });

  it('refuses an acknowledgement of 0 working days and a deadline that is neither', () => {
    const text = edited(
      edited(
        protocolYaml,
        'acknowledgement: { workingDays: 5 }',
        'acknowledgement: { workingDays: 0 }',
      ),
      'deadline: immediate',
      'deadline: soon',
    );

    expect(problemsOf(text)).toEqual([
      { path: 'rules[0].acknowledgement.workingDays', line: 17, message: 'must be >= 1' },
      {
        path: 'rules[1].deadline',
        line: 32,
        message: 'must be "immediate" or { workingDays: 0..60 }',
      },
    ]);
  });

  it('refuses two rules with the same id', () => {
    const text = edited(protocolYaml, 'id: cpas-family-relocated', 'id: cpas-ris-suppressed');

    expect(problemsOf(text)).toEqual([
      {
        path: 'rules[1].id',
        line: 22,
        message: 'cpas-ris-suppressed is already the id of rules[0]',
      },
    ]);
  });

  it('refuses to share a field the trigger event does not have', () => {
    const text = edited(
      protocolYaml,
      'share: [occurredOn, reason, effectiveOn]',
      'share: [occurredOn, reason, programme]',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: 'rules[0].share[2]',
        line: 18,
        message:
          'RisSuppressed has no field programme (its fields: caseId, occurredOn, organisationId, reason, effectiveOn)',
      },
    ]);
  });

  it('refuses a commune field that does not hold a commune of the trigger event', () => {
    const text = edited(
      protocolYaml,
      '        communeField: destinationCommune',
      '        communeField: effectiveOn',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: 'rules[1].recipients[0].communeField',
        line: 28,
        message:
          'must be a field of FamilyRelocated holding a commune: destinationCommune, fromCommune',
      },
    ]);
  });

  it('refuses a condition on a field the trigger event does not have', () => {
    const text = edited(
      protocolYaml,
      'trigger: { event: RisSuppressed }',
      'trigger: { event: RisSuppressed, conditions: [{ field: motive, in: [sanction] }] }',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: 'rules[0].trigger.conditions[0].field',
        line: 12,
        message:
          'RisSuppressed has no field motive (its fields: caseId, occurredOn, organisationId, reason, effectiveOn)',
      },
    ]);
  });

  it('names the shapes a recipient may take when it takes none of them', () => {
    const text = edited(protocolYaml, '      - partnersOfKind: SAJ', '      - partnerOfKind: SAJ');

    expect(problemsOf(text)).toEqual([
      {
        path: 'rules[0].recipients[0]',
        line: 15,
        message:
          'must be { partnersOfKind }, { competentFor, communeField } or { organisation }, each with an optional when',
      },
    ]);
  });

  it('refuses a channel named twice', () => {
    const text = edited(
      protocolYaml,
      'channels: [inbox, email]',
      'channels: [inbox, email, inbox]',
    );

    expect(problemsOf(text)).toEqual([
      { path: 'rules[0].channels[2]', line: 20, message: 'repeats item 0' },
    ]);
  });

  it('lists every problem, in the order of the lines', () => {
    const twoMistakes = edited(
      edited(protocolYaml, 'version: 1', 'version: 0'),
      'trigger: { event: RisSuppressed }\n    obliged: { kind: CPAS }',
      'trigger: { event: RisSuppressed }\n    obliged: { kind: OCMW }',
    );

    expect(problemsOf(twoMistakes)).toEqual([
      { path: 'version', line: 3, message: 'must be >= 1' },
      { path: 'rules[0].obliged.kind', line: 13, message: 'must be one of CPAS, SAJ, SPJ, OTHER' },
    ]);
    expect(() => parseProtocolDocument(twoMistakes)).toThrow(
      [
        'invalid protocol document (2 problems)',
        '  version (line 3): must be >= 1',
        '  rules[0].obliged.kind (line 13): must be one of CPAS, SAJ, SPJ, OTHER',
      ].join('\n'),
    );
  });
});

describe('parseProtocolDocument, JSON', () => {
  const protocolJson = [
    '{', // 1
    '  "id": "test-protocol",', // 2
    '  "title": "Protocole de test",', // 3
    '  "version": 1,', // 4
    '  "effectiveFrom": "2026-01-01",', // 5
    '  "partners": [{ "organisation": "saj-dinant" }],', // 6
    '  "rules": [', // 7
    '    {', // 8
    '      "id": "saj-case-judicialised",', // 9
    '      "title": "Le SAJ informe le CPAS de la judiciarisation",', // 10
    '      "trigger": { "event": "CaseJudicialised" },', // 11
    '      "obliged": { "kind": "SAJ" },', // 12
    '      "recipients": [{ "partnersOfKind": "CPAS" }],', // 13
    '      "deadline": { "workingDays": 2 },', // 14
    '      "acknowledgement": { "workingDays": 5 },', // 15
    '      "share": ["occurredOn", "to"],', // 16
    '      "shareAssignedWorkerContact": true,', // 17
    '      "channels": ["inbox"],', // 18
    '      "escalation": { "unacknowledged": "none", "loggedLate": "none" }', // 19
    '    }', // 20
    '  ]', // 21
    '}', // 22
    '',
  ].join('\n');

  it('reads a valid document', () => {
    expect(parseProtocolDocument(protocolJson, 'json').rules[0]?.deadline).toEqual({
      workingDays: 2,
    });
  });

  it('names the path and line of an invalid value', () => {
    const text = edited(
      protocolJson,
      '"share": ["occurredOn", "to"]',
      '"share": ["occurredOn", "reason"]',
    );

    expect(problemsOf(text, 'json')).toEqual([
      {
        path: 'rules[0].share[1]',
        line: 16,
        message:
          'CaseJudicialised has no field reason (its fields: caseId, occurredOn, organisationId, to)',
      },
    ]);
  });

  it('names the line of a syntax error', () => {
    const text = edited(
      protocolJson,
      '"deadline": { "workingDays": 2 },',
      '"deadline": { "workingDays": },',
    );

    expect(problemsOf(text, 'json')).toEqual([
      { path: '', line: 14, message: "Unexpected token '}'" },
    ]);
  });

  it('names the line of a missing comma', () => {
    const text = edited(protocolJson, '"channels": ["inbox"],', '"channels": ["inbox"]');

    expect(problemsOf(text, 'json')).toEqual([
      {
        path: '',
        line: 19,
        message: expect.stringContaining("Expected ',' or '}' after property value") as string,
      },
    ]);
  });

  it('names the last line of a document cut short', () => {
    const text = protocolJson.split('\n').slice(0, 14).join('\n');

    expect(problemsOf(text, 'json')).toEqual([
      {
        path: '',
        line: 14,
        message: expect.stringContaining('Expected double-quoted property name') as string,
      },
    ]);
  });

  it('refuses a key written twice, which JSON.parse would silently drop', () => {
    const text = edited(protocolJson, '  "version": 1,', '  "version": 1,\n  "version": 2,');

    expect(problemsOf(text, 'json')).toEqual([
      { path: '', line: 5, message: 'Map keys must be unique' },
    ]);
  });
});

describe('loadProtocolFile', () => {
  it('reads the shipped protocol file', async () => {
    await expect(loadProtocolFile(dinantPath)).resolves.toEqual(parseProtocolDocument(dinantYaml));
  });

  it('chooses the format by extension and prefixes problems with the file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'relais-protocol-'));
    const path = join(directory, 'broken.json');
    await writeFile(path, JSON.stringify({ ...parseProtocolDocument(protocolYaml), version: 0 }));

    await expect(loadProtocolFile(path)).rejects.toThrow(
      `${path}: invalid protocol document: version (line 1): must be >= 1`,
    );
  });

  it('refuses a file that is neither YAML nor JSON', async () => {
    await expect(loadProtocolFile('protocols/dinant.txt')).rejects.toThrow(
      'protocols/dinant.txt: invalid protocol document: (document): a protocol file must end in .yaml, .yml or .json',
    );
  });
});
