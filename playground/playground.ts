// The playground as a whole: the stack (n8n + emulators) and the two pages in front of it.
// `npm start` (playground/start.ts), the browser test and the screenshot script all use this.
import { startPlaygroundPages } from './server';
import { OWNER_TELEGRAM_ID, startStack, type Stack, type StackOptions } from './stack';

export interface PlaygroundOptions extends Omit<StackOptions, 'geminiFallback' | 'persistEmulatorState' | 'workflowImport'> {
  /** Ports of the chat and tasks pages; 0 = any free port. */
  chatPort?: number;
  tasksPort?: number;
}

export interface Playground {
  stack: Stack;
  urls: { chat: string; tasks: string; editor: string };
  stop(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { chatPort = 0, tasksPort = 0, ...stackOptions } = options;
  const stack = await startStack({
    ...stackOptions,
    // Without a key the planner drafts offline (marked so); with one, Gemini, and offline only when it fails.
    geminiFallback: options.geminiApiKey ? 'whenUnavailable' : 'always',
    persistEmulatorState: true,
    workflowImport: 'whenChanged',
  });
  try {
    const pages = await startPlaygroundPages({
      chatPort,
      tasksPort,
      telegramUrl: stack.mode.telegram === 'emulator' ? stack.telegram.url : undefined,
      tasksUrl: stack.mode.tasks === 'emulator' ? stack.tasks.url : undefined,
      chatId: OWNER_TELEGRAM_ID,
      user: { userId: OWNER_TELEGRAM_ID, firstName: 'You' },
      editorUrl: `${stack.n8n.baseUrl}/home/workflows`,
      offline: stack.mode.gemini === 'offline',
    });
    return {
      stack,
      urls: { chat: pages.chat.url, tasks: pages.tasks.url, editor: `${stack.n8n.baseUrl}/home/workflows` },
      async stop() {
        await pages.stop().catch(() => undefined);
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
