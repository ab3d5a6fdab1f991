import { TEST_API_KEY } from './order-service.env.js';

export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Product B's side of the REST API: requests with the key as a header of its choice, JSON answers. */
export class OrderApi {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string = TEST_API_KEY,
  ) {}

  get<T = unknown>(path: string, headers: Record<string, string> = { 'X-API-Key': this.key }): Promise<ApiAnswer<T>> {
    return this.request<T>(path, headers);
  }

  anonymous<T = unknown>(path: string): Promise<ApiAnswer<T>> {
    return this.request<T>(path, {});
  }

  /** A PUT with a JSON body (or the raw text given), as the back office sends a status change. */
  put<T = unknown>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    return this.request<T>(
      path,
      { 'X-API-Key': this.key, 'content-type': 'application/json', ...headers },
      {
        method: 'PUT',
        body: typeof body === 'string' ? body : JSON.stringify(body),
      },
    );
  }

  delete<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    return this.request<T>(path, { 'X-API-Key': this.key, ...headers }, { method: 'DELETE' });
  }

  private async request<T>(
    path: string,
    headers: Record<string, string>,
    init: RequestInit = {},
  ): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') ?? false;
    return { status: response.status, body: (isJson ? JSON.parse(text) : text) as T, headers: response.headers };
  }
}
