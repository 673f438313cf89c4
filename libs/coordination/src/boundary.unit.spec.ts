import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Lints a source as if it were `file`, with only the two boundary rules, in a node process of its
 * own: ESLint loads its flat config with a dynamic import, which jest's module sandbox refuses.
 */
const LINT = `
const { ESLint } = require('eslint');
const { source, file } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
new ESLint({
  overrideConfig: [{ languageOptions: { parserOptions: { projectService: false } } }],
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax',
})
  .lintText(source, { filePath: file })
  .then(([result]) => process.stdout.write(JSON.stringify(result.messages.map((m) => m.line + ':' + m.ruleId))));
`;

function boundaryProblems(source: string, file = 'libs/coordination/src/probe.ts'): string[] {
  return JSON.parse(
    execFileSync(process.execPath, ['-e', LINT], {
      cwd: ROOT,
      input: JSON.stringify({ source, file: join(ROOT, file) }),
      encoding: 'utf8',
    }),
  ) as string[];
}

describe('the coordination holds no case content: its lint boundary', () => {
  it('refuses cases, the vault, the obligations and fields named after a family', () => {
    const probe = [
      "import { caseDecider } from '@relais/domain';",
      "import { SubjectVault } from '@relais/vault';",
      "import { Inbox } from '../../obligations/src/inbox/inbox';",
      'export const probe = { caseDecider, SubjectVault, Inbox };',
      'export interface Leak { readonly familyName: string; readonly niss: string }',
    ].join('\n');
    expect(boundaryProblems(probe)).toEqual([
      '1:no-restricted-imports',
      '2:no-restricted-imports',
      '3:no-restricted-imports',
      '5:no-restricted-syntax',
      '5:no-restricted-syntax',
    ]);
  });

  it('lets the decider kit and the delivery machinery in, and the same file elsewhere is not its concern', () => {
    const kit = [
      "import { Decider, fold } from '@relais/domain';",
      "import { enqueue } from '@relais/delivery';",
      'export const kit = { fold, enqueue } as unknown as Decider<never, never, never, never>;',
    ].join('\n');
    expect(boundaryProblems(kit)).toEqual([]);
    expect(
      boundaryProblems(
        "import { caseDecider } from '@relais/domain';\nexport const familyName = caseDecider;",
        'libs/obligations/src/engine/probe.ts',
      ),
    ).toEqual([]);
  });
});
