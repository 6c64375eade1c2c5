// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The one plain-JavaScript file: the launcher (cli/run.mjs), run by Node before any TypeScript loads.
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  // The layers, from the bottom: platform (infrastructure, no mentoring rules), domain (the rules and
  // data, pure), services (records and workflow state), activities, api, then worker and cli on top.
  // Workflows stand apart (deterministic). A module never imports from a layer above its own.
  ...[
    {
      files: ['platform/**/*.ts'],
      above: ['domain', 'services', 'activities', 'api', 'worker', 'cli', 'workflows'],
    },
    { files: ['domain/**/*.ts'], above: ['services', 'activities', 'api', 'worker', 'cli'], packages: true },
    { files: ['services/**/*.ts'], above: ['activities', 'api', 'worker', 'cli'] },
    { files: ['activities/**/*.ts'], above: ['api', 'worker', 'cli'] },
    { files: ['api/**/*.ts'], above: ['worker', 'cli'] },
  ].map(({ files, above, packages }) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: above.map((layer) => `**/${layer}/**`),
              message: `A layer above this one (${above.join(', ')}): move the code down, or pass it in.`,
            },
            ...(packages
              ? [
                  {
                    group: [
                      'postgres',
                      'fastify',
                      '@fastify/*',
                      'nodemailer',
                      '@temporalio/client',
                      '@temporalio/worker',
                    ],
                    message: 'The domain is pure: no database, web server, mail or Temporal client.',
                  },
                ]
              : []),
          ],
        },
      ],
    },
  })),
  {
    // Workflow code is replayed: it may use the SDK and plain logic, never I/O, clocks or activity code.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process'],
              message: 'No I/O in workflows.',
            },
            {
              group: ['**/activities/**', '**/services/**', '**/platform/**', '**/domain/**', '**/api/**'],
              allowTypeImports: true,
              message: 'Workflows reach side effects only through activities.',
            },
            {
              group: ['postgres', 'nodemailer', 'fastify', '@temporalio/client', '@temporalio/worker'],
              message: 'Not available in the workflow sandbox.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'No I/O in workflows.' }],
    },
  },
);
