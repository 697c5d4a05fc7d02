// n8n's community-node rules on the nodes and credentials; TypeScript-aware parsing everywhere (cli/, emulators/, n8n/, playground/ and the workflow generator too).
const tseslint = require('typescript-eslint');
const { n8nCommunityNodesPlugin } = require('@n8n/eslint-plugin-community-nodes');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.playground/**', 'coverage/**'] },
  {
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    extends: [n8nCommunityNodesPlugin.configs.recommended],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    // The setup command, the emulators, the n8n launcher, the playground and the workflow generator (Node.js programs, not n8n nodes): TypeScript checks only.
    files: ['cli/**/*.ts', 'emulators/**/*.ts', 'n8n/**/*.ts', 'playground/**/*.ts', 'workflows/src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    // require() only where marked (lazy loads, the workflow generator in plain JS).
    rules: { '@typescript-eslint/no-unused-vars': 'error', '@typescript-eslint/no-require-imports': 'error', 'no-console': 'off' },
  },
  {
    // The n8n-agnostic core: it may not import n8n-workflow, the adapter or any node, so n8n's
    // helpers (sleep, NodeApiError) are not available there; the node layer converts its errors
    // (see nodes/adapter/runItems.ts) and holds the n8n field definitions.
    files: ['nodes/shared/**/*.ts'],
    rules: {
      '@n8n/community-nodes/no-restricted-globals': 'off',
      '@n8n/community-nodes/require-node-api-error': 'off',
      '@n8n/community-nodes/no-restricted-imports': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['n8n-workflow', 'n8n-workflow/*', 'n8n-core', 'n8n-core/*'],
              message: 'nodes/shared is the n8n-agnostic core: n8n types and helpers belong in nodes/adapter or the node.',
            },
            {
              regex: '^(\\.\\./)+(nodes/)?(adapter|[A-Z][A-Za-z0-9]*)(/|$)',
              caseSensitive: true,
              // nodes/<Node>/ folders are PascalCase, the core's are not.
              message: 'nodes/shared may not depend on the n8n layer (nodes/adapter, nodes/<Node>/).',
            },
          ],
        },
      ],
    },
  },
);
