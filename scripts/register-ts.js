// Lets node run our TypeScript directly (`npm start`, the benchmarks, the tests' child processes): `node -r ./scripts/register-ts.js file.ts`.
// Transpile-only (types are checked by `npm run typecheck`), like ts-jest in the test runner.
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, esModuleInterop: true, sourceMap: false },
  });
  module._compile(outputText, filename);
};
