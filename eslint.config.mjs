import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.relais/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // No app imports another app's files: the composition root (apps/relais) and the tests take
    // what they need from an app's entry, @relais/api or @relais/worker; libraries take nothing.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/relais/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./){2,}(apps/)?(api|worker|relais|web)/src/',
              message: "No app imports another app's files.",
            },
            {
              group: ['@relais/api', '@relais/worker'],
              message: 'Only the composition root (apps/relais) and the tests import an app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/relais/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./){2,}(apps/)?(api|worker|relais|web)/src/',
              message:
                "No app imports another app's files: import its entry, @relais/api or @relais/worker.",
            },
          ],
        },
      ],
    },
  },
  {
    // The rules about an obligation (libs/obligations/src/*.ts) are pure functions: no framework,
    // no driver. Their adapters (engine/, deadlines/, delivery/, inbox/) sit beside them.
    files: ['libs/obligations/src/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./){2,}(apps/)?(api|worker|relais|web)/src/',
              message: "No app imports another app's files.",
            },
            {
              group: ['@nestjs/*', 'pg', '@relais/platform', '@relais/database'],
              allowTypeImports: true,
              message:
                'An obligation rule is a pure function: its adapter, in a folder beside it, does the I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The coordination sociale is about services, never families: it imports nothing of cases,
    // the vault, the access log or the obligations, and names no field after a family's data.
    files: ['libs/coordination/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@relais/domain',
              allowImportNames: [
                'Decider',
                'DomainRuleViolation',
                'NotFound',
                'PermissionDenied',
                'assertNever',
                'fold',
                'IsoDate',
              ],
              message:
                'The coordination takes only the decider kit from @relais/domain, never a case.',
            },
          ],
          patterns: [
            {
              regex: '^(\\.\\./){2,}(apps/)?(api|worker|relais|web)/src/',
              message: "No app imports another app's files.",
            },
            {
              group: [
                '@relais/vault',
                '@relais/privacy',
                '@relais/access-log',
                '@relais/obligations',
                '@relais/read-models',
                '@relais/compliance',
                '@relais/api',
                '@relais/worker',
              ],
              message: 'The coordination holds no case content: nothing of cases or the vault.',
            },
            {
              regex:
                '^(\\.\\./)+(libs/)?(domain/src/case|vault|privacy|access-log|obligations|read-models)',
              message: 'The coordination holds no case content: nothing of cases or the vault.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Identifier[name=/^(caseIds?|caseReference|subjectIds?|niss|family|familyMembers?|familyName|firstName|lastName|birthDate|personalData)$/]',
          message: 'The coordination names no field after a family or a case: services only.',
        },
      ],
    },
  },
  {
    // The web app runs in the browser, bundled by apps/web/build.mjs: of the libraries only the contract.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@relais/*', '!@relais/wire'],
              message: 'The web app shares only @relais/wire with the API.',
            },
            { group: ['node:*'], message: 'The web app runs in the browser.' },
            {
              regex: '^(\\.\\./){2,}(api|worker|relais)/src/',
              message: "No app imports another app's files.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'The contract imports nothing but itself: the browser loads it as it is.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
