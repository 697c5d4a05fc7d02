#!/usr/bin/env node
// `npx n8n-nodes-draft-assistant setup …`: installs or upgrades the Draft Assistant's workflows
// in a running n8n through its public API. See README.md ("Install into your own n8n").
import { parseArgs } from 'node:util';
import { N8nPublicApi } from './setup/publicApi';
import { loadShippedWorkflows, runSetup } from './setup/setup';
import type { UserSettings } from './setup/plan';

const USAGE = `Usage: npx n8n-nodes-draft-assistant setup --url <n8n URL> --api-key <key> [options]

Installs the Draft Assistant's workflows into a running n8n, or upgrades the ones already there,
and publishes them. Run it again after updating the package: it updates the workflows in place and
keeps your allowlist, owner, time zone, credentials and webhook.

  --url <url>                 n8n's base URL, e.g. http://localhost:5678 (or N8N_URL)
  --api-key <key>             an n8n API key: Settings → n8n API → Create an API key (or N8N_API_KEY)
  --allow <ids>               Telegram user ids allowed to use the bot, comma-separated
  --owner <chat id>           who gets error alerts and the health summary (default: the first --allow id)
  --timezone <zone>           time zone new users start with, e.g. Europe/Berlin (default UTC)
  --credential <type>=<id>    the credential to use for a type; repeat per type:
                              telegramApi, googlePalmApi, googleTasksOAuth2Api, googleCalendarOAuth2Api, draftAssistantDatabase
                              (a type with exactly one credential in n8n is picked without asking)
  --without-operations        leave out the optional Operations workflow (health summary, purge, backup)
  --no-publish                save the workflows but do not publish them
  -h, --help                  this text
`;

/** The optional Operations workflow's shipped id (workflows/O-operations.json). */
const OPERATIONS_ID = 'draftAssistantOps';

function fail(message: string): never {
  process.stderr.write(`✖ ${message}\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'api-key': { type: 'string' },
      allow: { type: 'string' },
      owner: { type: 'string' },
      timezone: { type: 'string' },
      credential: { type: 'string', multiple: true },
      'without-operations': { type: 'boolean' },
      'no-publish': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] !== 'setup' || positionals.length > 1) fail(`unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
  const url = values.url ?? process.env.N8N_URL;
  const apiKey = values['api-key'] ?? process.env.N8N_API_KEY;
  if (!url) fail('--url is missing (n8n\'s base URL, e.g. http://localhost:5678)');
  if (!/^https?:\/\//.test(url)) fail(`--url ${url}: give an http:// or https:// URL`);
  if (!apiKey) fail('--api-key is missing (create one in n8n under Settings → n8n API)');

  const settings: UserSettings = {};
  if (values.allow !== undefined) {
    const ids = values.allow.split(/[\s,]+/).filter(Boolean);
    const bad = ids.find((id) => !/^-?\d+$/.test(id));
    if (bad !== undefined || ids.length === 0) fail(`--allow ${values.allow}: give Telegram user ids (numbers), comma-separated`);
    settings.allowedUserIds = ids.join(',');
  }
  if (values.owner !== undefined) {
    if (!/^-?\d+$/.test(values.owner)) fail(`--owner ${values.owner}: give a Telegram chat id (a number)`);
    settings.ownerChatId = values.owner;
  }
  if (values.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: values.timezone });
    } catch {
      fail(`--timezone ${values.timezone}: not a time zone (use an IANA name such as Europe/Berlin)`);
    }
    settings.defaultTimezone = values.timezone;
  }
  for (const entry of values.credential ?? []) {
    const match = /^([A-Za-z0-9]+)=(\S+)$/.exec(entry);
    if (!match) fail(`--credential ${entry}: write it as <type>=<credential id>, e.g. telegramApi=AbC123`);
    (settings.credentials ??= {})[match[1]] = match[2];
  }

  const workflows = loadShippedWorkflows()
    .filter(({ workflow }) => !(values['without-operations'] && workflow.id === OPERATIONS_ID))
    .map(({ workflow }) => workflow);
  const result = await runSetup({
    api: new N8nPublicApi(url, apiKey),
    workflows,
    settings,
    publish: !values['no-publish'],
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (result.notPublished && !values['no-publish']) process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
