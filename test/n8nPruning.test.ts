// n8n's own execution data holds message text, outside our store's purge: n8n prunes it. The
// variables the playground sets and docs/operations.md tells users to set must be the ones n8n
// 2.40.7 reads, with the meaning (hours) the docs give them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const N8N_VERSION = '2.40.7';
const n8nConfig = path.join(
  process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-draft-assistant'),
  `n8n-${N8N_VERSION}`,
  'node_modules/@n8n/config/dist/configs/executions.config.js',
);
const ROOT = path.join(__dirname, '..');
const PRUNING = { EXECUTIONS_DATA_PRUNE: 'true', EXECUTIONS_DATA_MAX_AGE: '720' };

describe("n8n's execution pruning at 30 days", () => {
  it(`uses variables n8n ${N8N_VERSION} reads: pruning on/off and the maximum age in hours`, () => {
    if (!fs.existsSync(n8nConfig)) throw new Error(`n8n ${N8N_VERSION} is not installed (${n8nConfig}); run scripts/install-n8n.sh`);
    const source = fs.readFileSync(n8nConfig, 'utf8');
    // Each @Env name sits right above the property it fills: pruneData (boolean), pruneDataMaxAge (hours).
    expect(source).toMatch(/Env\)\('EXECUTIONS_DATA_PRUNE'\),\s*__metadata\("design:type", Boolean\)\s*\], ExecutionsConfig\.prototype, "pruneData"/);
    expect(source).toMatch(/Env\)\('EXECUTIONS_DATA_MAX_AGE'\),\s*__metadata\("design:type", Number\)\s*\], ExecutionsConfig\.prototype, "pruneDataMaxAge"/);
    expect(Number(PRUNING.EXECUTIONS_DATA_MAX_AGE)).toBe(30 * 24);
  });

  it('the playground sets them, and docs/operations.md tells users to', () => {
    const stack = fs.readFileSync(path.join(ROOT, 'playground', 'stack.ts'), 'utf8');
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const [name, value] of Object.entries(PRUNING)) {
      expect(stack).toMatch(new RegExp(`env\\.${name} = '${value}'`));
      expect(docs).toContain(`${name}=${value}`);
    }
  });
});
