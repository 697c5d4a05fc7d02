// Another process writing to the store while a backup runs (test/backup.test.ts):
//   node -r ./test/helpers/register-ts-cached.js test/helpers/enqueueLoopChild.ts '<json options>'
// Enqueues one command after another until the file `stop` exists, printing each committed id
// as one JSON line, so the parent knows exactly what reached the database.
import * as fs from 'node:fs';
import { openStore } from '../../nodes/shared/store/db';
import { enqueueCommand } from '../../nodes/shared/queue/commands';

interface ChildOptions {
  dbFile: string;
  stop: string;
  keyPrefix: string;
}

async function main() {
  const options = JSON.parse(process.argv[2]) as ChildOptions;
  const store = await openStore({ backend: 'sqlite', file: options.dbFile });
  try {
    for (let i = 0; !fs.existsSync(options.stop); i++) {
      const { command } = await enqueueCommand(store, {
        type: 'draft_task_from_text',
        userId: 'telegram:4002',
        payload: { text: `written during the backup ${i}` },
        dedupeKey: `${options.keyPrefix}:${i}`,
      });
      process.stdout.write(`${JSON.stringify({ id: command.id })}\n`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
