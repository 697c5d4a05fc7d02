import { GEMINI_FREE_TIER_REQUESTS_PER_DAY, GOOGLE_TASKS_QUERIES_PER_DAY, healthReport } from '../../shared/operations/health';
import { asItem } from '../../adapter/description';
import type { Operation } from '../../adapter/operation';

export const stats: Operation = {
  value: 'stats',
  name: 'Stats',
  action: 'Get queue statistics',
  description: 'Counts by status, oldest pending, throughput, success rate, API usage against quotas, database size, and a health summary',
  properties: [
    {
      displayName: 'Window (Minutes)',
      name: 'windowMinutes',
      type: 'number',
      default: 60,
      typeOptions: { minValue: 1 },
      description: 'Rates and averages cover this many recent minutes. API calls and commands per day always cover the last 24 hours.',
    },
    {
      displayName: 'Gemini Requests per Day',
      name: 'geminiDailyQuota',
      type: 'number',
      default: GEMINI_FREE_TIER_REQUESTS_PER_DAY,
      typeOptions: { minValue: 1 },
      description: "Your Gemini quota, to report the day's calls against. 1,500 is the free tier.",
    },
    {
      displayName: 'Google Tasks Queries per Day',
      name: 'tasksDailyQuota',
      type: 'number',
      default: GOOGLE_TASKS_QUERIES_PER_DAY,
      typeOptions: { minValue: 1 },
      description: "Your Google Tasks API quota, to report the day's calls against",
    },
  ],
  needsStore: true,
  /** Queue figures, the day's API usage against quotas, database size, and `summaryText` (Telegram HTML). */
  async execute(i, store) {
    return asItem(
      await healthReport(store, {
        windowMinutes: this.getNodeParameter('windowMinutes', i) as number,
        geminiDailyQuota: this.getNodeParameter('geminiDailyQuota', i, GEMINI_FREE_TIER_REQUESTS_PER_DAY) as number,
        tasksDailyQuota: this.getNodeParameter('tasksDailyQuota', i, GOOGLE_TASKS_QUERIES_PER_DAY) as number,
      }),
    );
  },
};
