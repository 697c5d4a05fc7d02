// `npm run workflows`: writes workflows/*.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderAll } from './index';

const outDir = path.resolve(__dirname, '..');
const files = renderAll();
for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, file), text);
console.log(`wrote ${Object.keys(files).length} workflows to ${path.relative(process.cwd(), outDir) || '.'}`);
