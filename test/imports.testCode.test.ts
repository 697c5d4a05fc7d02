// Test code stays in test/: what ships (nodes/, credentials/, cli/), what `npm start` runs
// (playground/, emulators/, n8n/, scripts/register-ts.js) and the other scripts import nothing from
// it, so a change to a test helper cannot break the package or the playground. bench/ is exempt:
// benchmarks are measurement harnesses run from a clone, like the tests, and reuse their fixtures
// (throwaway PostgreSQL databases, seeding, worker processes).
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const testDir = path.join(root, 'test');
const FOLDERS = ['nodes', 'credentials', 'cli', 'emulators', 'n8n', 'playground', 'scripts'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** Relative module specifiers a file loads: import/export … from, import(), require(). */
function relativeSpecifiers(source: string): string[] {
  const patterns = [/\bfrom\s+['"](\.[^'"]+)['"]/g, /\bimport\s*\(\s*['"](\.[^'"]+)['"]/g, /\brequire\s*\(\s*['"](\.[^'"]+)['"]/g, /^\s*import\s+['"](\.[^'"]+)['"]/gm];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

function importsOfTestCode(file: string): string[] {
  return relativeSpecifiers(fs.readFileSync(file, 'utf8')).filter((specifier) => {
    const target = path.resolve(path.dirname(file), specifier);
    return target === testDir || target.startsWith(`${testDir}${path.sep}`);
  });
}

describe('test code stays in test/', () => {
  it('finds imports of every kind (the scan can see a violation)', () => {
    const source = [
      "import { a } from '../test/helpers/a';",
      "export * from '../../test/e2e/b';",
      "import '../test/setup';",
      "const c = require('../test/helpers/c.js');",
      "const d = await import('../test/helpers/d');",
    ].join('\n');
    expect(relativeSpecifiers(source)).toEqual(
      expect.arrayContaining(['../test/helpers/a', '../../test/e2e/b', '../test/setup', '../test/helpers/c.js', '../test/helpers/d']),
    );
  });

  it.each(FOLDERS)('nothing in %s/ imports from test/', (folder) => {
    const offenders = sourceFiles(path.join(root, folder)).flatMap((file) =>
      importsOfTestCode(file).map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('npm start, build and workflows load nothing from test/', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['start', 'build', 'workflows']) expect({ name, script: scripts[name] }).toEqual({ name, script: expect.not.stringMatching(/\btest\//) });
  });
});
