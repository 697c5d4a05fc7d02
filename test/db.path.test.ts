// Where the SQLite file goes for the path a user types in the Draft Assistant Database credential.
// Its placeholder shows "~/.n8n/…", so "~/" must mean the home folder (n8n's user folder when
// N8N_USER_FOLDER is set, as for the default path), never a folder literally named "~".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSqlitePath, openStore, resolveSqlitePath, storeKey } from '../nodes/shared/store/db';

describe('SQLite path from the credential', () => {
  let dir: string;
  let cwd: string;
  const savedEnv = { N8N_USER_FOLDER: process.env.N8N_USER_FOLDER };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-path-'));
    cwd = process.cwd();
    fs.mkdirSync(path.join(dir, 'cwd'));
    process.chdir(path.join(dir, 'cwd'));
  });
  afterEach(() => {
    process.chdir(cwd);
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens "~/…" inside N8N_USER_FOLDER when it is set, and creates no folder named "~"', async () => {
    process.env.N8N_USER_FOLDER = path.join(dir, 'n8n-user');
    const store = await openStore({ backend: 'sqlite', file: '~/.n8n/draft-assistant.sqlite' });
    await store.close();
    expect(fs.existsSync(path.join(dir, 'n8n-user', '.n8n', 'draft-assistant.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'cwd', '~'))).toBe(false);
    // The placeholder's path is the default path: one store, not two.
    expect(storeKey({ backend: 'sqlite', file: '~/.n8n/draft-assistant.sqlite' })).toBe(storeKey({ backend: 'sqlite' }));
    expect(resolveSqlitePath('~/.n8n/draft-assistant.sqlite')).toBe(defaultSqlitePath());
  });

  it('expands "~/" to the home folder without N8N_USER_FOLDER', () => {
    delete process.env.N8N_USER_FOLDER;
    const inHome = path.join(os.homedir(), 'data', 'assistant.sqlite');
    expect(resolveSqlitePath('~/data/assistant.sqlite')).toBe(inHome);
    expect(resolveSqlitePath(' ~/data/assistant.sqlite ')).toBe(inHome);
    expect(storeKey({ backend: 'sqlite', file: '~/data/assistant.sqlite' })).toBe(`sqlite:${inHome}`);
    expect(resolveSqlitePath('~/data/assistant.sqlite', { N8N_USER_FOLDER: '/srv/n8n' })).toBe('/srv/n8n/data/assistant.sqlite');
  });

  it('leaves other paths as they are: absolute, relative, "~user/…", a "~" inside the path, and :memory:', () => {
    process.env.N8N_USER_FOLDER = path.join(dir, 'n8n-user');
    expect(resolveSqlitePath('/var/lib/assistant.sqlite')).toBe('/var/lib/assistant.sqlite');
    expect(resolveSqlitePath('data/assistant.sqlite')).toBe(path.join(dir, 'cwd', 'data', 'assistant.sqlite'));
    expect(resolveSqlitePath('~alice/assistant.sqlite')).toBe(path.join(dir, 'cwd', '~alice', 'assistant.sqlite'));
    expect(resolveSqlitePath('/tmp/~/assistant.sqlite')).toBe('/tmp/~/assistant.sqlite');
    expect(resolveSqlitePath(':memory:')).toBe(':memory:');
    expect(resolveSqlitePath('')).toBe(defaultSqlitePath());
    expect(resolveSqlitePath('  ')).toBe(defaultSqlitePath());
  });
});
