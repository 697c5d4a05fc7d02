// Like scripts/register-ts.js, with the transpiled output cached on disk by content hash. The
// multi-process tests start dozens of workers; loading the TypeScript compiler in each of
// them cost more than the work they were started for.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'draft-assistant-ts-cache');
fs.mkdirSync(cacheDir, { recursive: true });
let ts;

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let outputText;
  try {
    outputText = fs.readFileSync(cached, 'utf8');
  } catch {
    ts ??= require('typescript');
    ({ outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, esModuleInterop: true, sourceMap: false },
    }));
    // Written under a unique name and renamed, so a concurrent reader never sees half a file.
    const temp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temp, outputText);
    fs.renameSync(temp, cached);
  }
  module._compile(outputText, filename);
};
