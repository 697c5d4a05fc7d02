// Bulk setup for the multi-process tests and the benchmark: n ready commands in one transaction.
// (enqueueCommand, one transaction per command, is what the state-machine tests cover.)
import type { Store } from '../../nodes/shared/store/db';

export async function seedCommands(store: Store, n: number, maxAttempts = 5, keyPrefix = 'seed'): Promise<number[]> {
  return store.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO users (user_id, created_at, updated_at) VALUES ('telegram:9', ${tx.nowMs}, ${tx.nowMs}) ON CONFLICT (user_id) DO NOTHING`,
    );
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = await tx.get<{ id: number }>(
        `INSERT INTO commands (user_id, type, payload_json, dedupe_key, max_attempts, run_after, created_at, updated_at)
         VALUES ('telegram:9', 'help', '{}', ?, ?, ${tx.nowMs}, ${tx.nowMs}, ${tx.nowMs}) RETURNING id`,
        [`${keyPrefix}:${i}`, maxAttempts],
      );
      ids.push(Number(row!.id));
    }
    return ids;
  });
}
