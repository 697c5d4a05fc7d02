// The core's boundary is a lint rule (eslint.config.js): nodes/shared may not import n8n or the n8n layer.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

// ESLint loads its config with import(), which jest's VM refuses: lint the probes in a child process.
const lintProbes = `
const { ESLint } = require('eslint');
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const probes = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const counts = [];
  for (const [importLine, file] of probes) {
    const [result] = await eslint.lintText(importLine + '\\nexport const probe = 1;\\n', { filePath: file });
    counts.push(result.messages.filter((message) => message.ruleId === 'no-restricted-imports').length);
  }
  process.stdout.write(JSON.stringify(counts));
})();
`;

const rejected: Array<[string, string]> = [
  ["import type { INodeProperties } from 'n8n-workflow';", 'nodes/shared/probe.ts'],
  ["import { NodeApiError } from 'n8n-workflow';", 'nodes/shared/gemini/probe.ts'],
  ["import { runItems } from '../adapter/runItems';", 'nodes/shared/probe.ts'],
  ["import { asItem } from '../../adapter/description';", 'nodes/shared/tasks/probe.ts'],
  ["import { tasksRequest } from '../../TaskExecutor/transport';", 'nodes/shared/tasks/probe.ts'],
  ["export { router } from '../CommandQueue/actions/router';", 'nodes/shared/probe.ts'],
];
const allowed: Array<[string, string]> = [
  ["import { openDatabase } from './db';", 'nodes/shared/probe.ts'],
  ["import { callGemini } from './adapter';", 'nodes/shared/gemini/probe.ts'],
  ["import { fitTaskDraft } from '../draft/taskDraft';", 'nodes/shared/gemini/probe.ts'],
  ["import { tasks_v1 } from '@googleapis/tasks';", 'nodes/shared/tasks/probe.ts'],
  ["import type { INodeProperties } from 'n8n-workflow';", 'nodes/adapter/probe.ts'],
];

describe('nodes/shared boundary (no-restricted-imports)', () => {
  let counts: number[];
  beforeAll(() => {
    const probes = [...rejected, ...allowed].map(([line, file]) => [line, path.join(root, file)]);
    counts = JSON.parse(execFileSync(process.execPath, ['-e', lintProbes], { cwd: root, input: JSON.stringify(probes) }).toString());
  }, 60_000);

  it.each(rejected.map((probe, index) => [...probe, index] as const))('rejects %s in %s', (_line, _file, index) => {
    expect(counts[index]).toBe(1);
  });

  it.each(allowed.map((probe, index) => [...probe, rejected.length + index] as const))('allows %s in %s', (_line, _file, index) => {
    expect(counts[index]).toBe(0);
  });
});
