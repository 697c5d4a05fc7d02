// n8n's community-node rules on the nodes and credentials; TypeScript-aware parsing everywhere (cli/ too).
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
    // The setup command (a Node.js CLI, not an n8n node): TypeScript checks only.
    files: ['cli/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { '@typescript-eslint/no-unused-vars': 'error', 'no-console': 'off' },
  },
  {
    // The n8n-agnostic core: it may not import n8n-workflow, so n8n's helpers (sleep, NodeApiError)
    // are not available there; the node layer converts its errors (see nodes/adapter/runItems.ts).
    files: ['nodes/shared/**/*.ts'],
    rules: {
      '@n8n/community-nodes/no-restricted-globals': 'off',
      '@n8n/community-nodes/require-node-api-error': 'off',
      '@n8n/community-nodes/no-restricted-imports': 'off',
    },
  },
);
