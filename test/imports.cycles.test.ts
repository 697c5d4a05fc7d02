// The package's modules form no import circle (type-only imports included): each layer can be
// read, and loaded, before the ones that use it.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to files. */
function localImports(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'(\.[^']+)'/gm)].map((match) => match[1]);
  return specifiers.map((specifier) => {
    const base = path.resolve(path.dirname(file), specifier);
    const candidate = [`${base}.ts`, path.join(base, 'index.ts')].find((name) => fs.existsSync(name));
    if (!candidate) throw new Error(`${path.relative(root, file)} imports ${specifier}, which does not resolve`);
    return candidate;
  });
}

function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, localImports(file)]));
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) return void cycles.push(trail.slice(at).concat(file).map((name) => path.relative(root, name)));
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return cycles;
}

describe('import graph', () => {
  it.each(['nodes', 'credentials', 'cli', 'emulators'])('has no circle in %s/', (folder) => {
    const cycles = findCycles(sourceFiles(path.join(root, folder))).map((cycle) => cycle.join(' > '));
    expect(cycles).toEqual([]);
  });
});
