// Named parameters (`:name`) and a change with its audit rows, the same on both backends.
import { toNumberedPlaceholders } from '../nodes/shared/store/db';
import { backends, useCleanStore } from './helpers/backends';
import { seedCommands } from './helpers/seed';

describe('named placeholders become numbered ones', () => {
  it('numbers each distinct name once, per dialect', () => {
    expect(toNumberedPlaceholders('SELECT :a, :b, :a', 'sqlite')).toEqual({ text: 'SELECT ?1, ?2, ?1', names: ['a', 'b'] });
    expect(toNumberedPlaceholders('SELECT :a, :b, :a', 'postgres')).toEqual({ text: 'SELECT $1, $2, $1', names: ['a', 'b'] });
  });

  it('leaves casts and string literals alone', () => {
    expect(toNumberedPlaceholders("SELECT :n::bigint, 'at 10:30 :not_a_name', 'it''s :x' || :y", 'postgres')).toEqual({
      text: "SELECT $1::bigint, 'at 10:30 :not_a_name', 'it''s :x' || $2",
      names: ['n', 'y'],
    });
  });
});

describe.each(backends)('named parameters on %s', (backend) => {
  const ctx = useCleanStore(backend);

  it('binds values by name, a name used twice included, and ignores values no name uses', async () => {
    const row = await ctx.store.get<{ sum: number; label: string }>('SELECT CAST(:a AS INTEGER) + CAST(:a AS INTEGER) + CAST(:b AS INTEGER) AS sum, CAST(:label AS TEXT) AS label', {
      a: 2,
      b: 3,
      label: 'x:y',
      unused: 'ignored',
    });
    expect(row).toEqual({ sum: 7, label: 'x:y' });
  });

  it('refuses a statement whose name has no value, instead of binding NULL', async () => {
    await expect(ctx.store.get('SELECT CAST(:missing AS TEXT) AS v', {})).rejects.toThrow('No value for :missing');
  });

  it('works inside a transaction and next to positional statements', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.run(`INSERT INTO users (user_id, created_at, updated_at) VALUES (:id, ${tx.nowMs}, ${tx.nowMs})`, { id: 'telegram:1' });
      await tx.run(`INSERT INTO users (user_id, created_at, updated_at) VALUES (?, ${tx.nowMs}, ${tx.nowMs})`, ['telegram:2']);
    });
    expect(await ctx.store.all('SELECT user_id FROM users WHERE user_id IN (:a, :b) ORDER BY user_id', { a: 'telegram:1', b: 'telegram:2' })).toEqual([
      { user_id: 'telegram:1' },
      { user_id: 'telegram:2' },
    ]);
  });

  const record = `INSERT INTO audit_log (timestamp, action, entity_type, entity_id, user_id, details_json)
    SELECT 0, 'renamed', 'command', CAST(id AS TEXT), user_id, :details FROM changed ORDER BY id`;
  const rename = `UPDATE commands SET type = :type WHERE id IN (:a, :b) RETURNING *`;

  it('changeWithRecord returns the changed rows and records one row per change, and nothing when nothing changed', async () => {
    const [first, , third] = await seedCommands(ctx.store, 3);
    const changed = await ctx.store.changeWithRecord<{ id: number; type: string }>('commands', rename, record, { type: 'undo', a: first, b: third, details: '{"by":"test"}' });
    expect(changed.map((r) => [r.id, r.type]).sort()).toEqual([
      [first, 'undo'],
      [third, 'undo'],
    ]);
    expect(await ctx.store.changeWithRecord('commands', rename, record, { type: 'help', a: -1, b: -2, details: '{}' })).toEqual([]);
    expect(await ctx.store.all('SELECT entity_id, details_json FROM audit_log ORDER BY id')).toEqual([
      { entity_id: String(first), details_json: '{"by":"test"}' },
      { entity_id: String(third), details_json: '{"by":"test"}' },
    ]);
  });

  it('changeWithRecord changes nothing when recording fails', async () => {
    const [id] = await seedCommands(ctx.store, 1);
    await expect(ctx.store.changeWithRecord('commands', rename, 'INSERT INTO no_such_table SELECT * FROM changed', { type: 'undo', a: id, b: id })).rejects.toThrow();
    expect(await ctx.store.get('SELECT type FROM commands')).toEqual({ type: 'help' });
  });
});

describe.each(backends)('statements that outlive a change of their table on %s', (backend) => {
  const ctx = useCleanStore(backend);

  // A newer installation (a queue-mode worker upgraded first) may add a column while this
  // process keeps its connections: on PostgreSQL a prepared `SELECT *` then has a new result
  // type, which the server refuses for that statement from then on.
  it('still answer after another connection adds a column', async () => {
    await ctx.store.exec('CREATE TABLE widen_me (id INTEGER PRIMARY KEY, a TEXT)');
    await ctx.store.run("INSERT INTO widen_me (id, a) VALUES (1, 'x')");
    const read = () => ctx.store.all<Record<string, unknown>>('SELECT * FROM widen_me WHERE id = :id', { id: 1 });
    const readInTransaction = () => ctx.store.transaction((tx) => tx.all('SELECT * FROM widen_me WHERE id = :id AND 1 = 1', { id: 1 }));
    // Several times, so that every pooled connection may hold them prepared.
    for (let i = 0; i < 12; i++) await Promise.all([read(), read(), read(), readInTransaction(), readInTransaction()]);
    await ctx.store.exec("ALTER TABLE widen_me ADD COLUMN b TEXT DEFAULT 'y'");
    for (let i = 0; i < 12; i++) for (const rows of await Promise.all([read(), read(), read()])) expect(rows).toEqual([{ id: 1, a: 'x', b: 'y' }]);
    for (let i = 0; i < 4; i++) for (const rows of await Promise.all([readInTransaction(), readInTransaction()])) expect(rows).toEqual([{ id: 1, a: 'x', b: 'y' }]);
    await ctx.store.exec('DROP TABLE widen_me');
  });
});
