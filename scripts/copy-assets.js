// Copies what the compiled code reads at run time but tsc does not emit:
// the SQL migrations and the nodes' codex files (*.node.json).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
fs.cpSync(path.join(root, 'migrations'), path.join(root, 'dist', 'migrations'), { recursive: true });
for (const dir of fs.readdirSync(path.join(root, 'nodes'), { withFileTypes: true })) {
  if (!dir.isDirectory()) continue;
  for (const file of fs.readdirSync(path.join(root, 'nodes', dir.name))) {
    if (file.endsWith('.node.json')) {
      fs.mkdirSync(path.join(root, 'dist', 'nodes', dir.name), { recursive: true });
      fs.copyFileSync(path.join(root, 'nodes', dir.name, file), path.join(root, 'dist', 'nodes', dir.name, file));
    }
  }
}
