// The parts of n8n's public REST API (/api/v1, key in X-N8N-API-KEY) that setup uses, as n8n
// 2.40.7 defines them: workflows are created without an id (n8n assigns one), updated with PUT,
// and published with POST /workflows/:id/publish ("activate" in n8n 1.x).
import type { CredentialSummary, WorkflowBody, WorkflowDefinition } from './plan';

export class N8nApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class N8nPublicApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers: { 'X-N8N-API-KEY': this.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new N8nApiError(`cannot reach n8n at ${this.baseUrl} (${error instanceof Error ? error.message : String(error)})`, 0);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 500);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      if (response.status === 401) message = `n8n refused the API key (${message}). Create one in n8n under Settings → n8n API.`;
      throw new N8nApiError(`${method} /api/v1${path}: ${response.status} ${message}`, response.status);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page = await this.request<{ data: T[]; nextCursor?: string | null }>(
        'GET',
        `${path}${separator}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  /** Every workflow (without descriptions: the list leaves them out). */
  listWorkflows(): Promise<WorkflowDefinition[]> {
    return this.all<WorkflowDefinition>('/workflows?excludePinnedData=true');
  }

  getWorkflow(id: string): Promise<WorkflowDefinition> {
    return this.request('GET', `/workflows/${encodeURIComponent(id)}?excludePinnedData=true`);
  }

  /** Creates a workflow; n8n assigns its id. The create call takes no description: update adds it. */
  createWorkflow(body: Omit<WorkflowBody, 'description'>): Promise<WorkflowDefinition & { id: string }> {
    return this.request('POST', '/workflows', { name: body.name, nodes: body.nodes, connections: body.connections, settings: body.settings });
  }

  /** Saves a new version without putting it live (publishWorkflow does that, in dependency order). */
  updateWorkflow(id: string, body: WorkflowBody): Promise<WorkflowDefinition> {
    return this.request('PUT', `/workflows/${encodeURIComponent(id)}?publishIfActive=false`, body);
  }

  publishWorkflow(id: string): Promise<WorkflowDefinition> {
    return this.request('POST', `/workflows/${encodeURIComponent(id)}/publish`, {});
  }

  unpublishWorkflow(id: string): Promise<WorkflowDefinition> {
    return this.request('POST', `/workflows/${encodeURIComponent(id)}/unpublish`, {});
  }

  /**
   * Whether n8n serves this production webhook path (`/webhook/<path>`): anything but 404. The
   * probe carries no Telegram secret, so the Telegram Trigger answers 403 and starts nothing.
   */
  async webhookIsLive(path: string): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      await response.arrayBuffer();
      return response.status !== 404;
    } catch {
      return false;
    }
  }

  listCredentials(): Promise<CredentialSummary[]> {
    return this.all<CredentialSummary>('/credentials');
  }
}
