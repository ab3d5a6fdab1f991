import type { OrderDocument, OrderHistoryDocument, OrderPage, OrderStats } from './order-documents.js';

/** An answer the caller may retry: the service is down, restarting or overloaded. */
export class TransientApiError extends Error {}

/** What a status change answered: the order after it (200), or the status machine's refusal (409). */
export type ChangeAnswer =
  | { readonly outcome: 'applied'; readonly order: OrderDocument }
  | { readonly outcome: 'refused'; readonly message: string };

/** The body of `PUT /orders/{orderId}/status` (contract section 4.2). */
export type StatusChange =
  | { readonly status: 'SHIPPED'; readonly carrier?: string; readonly trackingCode?: string }
  | { readonly status: 'DELIVERED' }
  | { readonly status: 'CANCELLED'; readonly reason: string };

/** Product B's REST client: every call carries the API key (contract section 3). */
export class OrderApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  /** The order, or null when the service does not know it (404). */
  async order(orderId: string): Promise<OrderDocument | null> {
    return this.read<OrderDocument>(`/orders/${encodeURIComponent(orderId)}`, true);
  }

  async page(query: Record<string, string | undefined>): Promise<OrderPage> {
    return (await this.read<OrderPage>(`/orders?${searchParams(query)}`, false)) as OrderPage;
  }

  async stats(query: Record<string, string | undefined>): Promise<OrderStats> {
    return (await this.read<OrderStats>(`/orders/stats?${searchParams(query)}`, false)) as OrderStats;
  }

  async history(orderId: string): Promise<OrderHistoryDocument> {
    const path = `/orders/${encodeURIComponent(orderId)}/history`;
    return (await this.read<OrderHistoryDocument>(path, false)) as OrderHistoryDocument;
  }

  async changeStatus(orderId: string, change: StatusChange): Promise<ChangeAnswer> {
    return this.change('PUT', `/orders/${encodeURIComponent(orderId)}/status`, change);
  }

  /** `DELETE /orders/{orderId}?reason=`: a cancellation as a back office sends it. */
  async cancel(orderId: string, reason: string): Promise<ChangeAnswer> {
    return this.change('DELETE', `/orders/${encodeURIComponent(orderId)}?${searchParams({ reason })}`);
  }

  private async read<T>(path: string, notFoundIsNull: boolean): Promise<T | null> {
    const response = await this.send('GET', path);
    if (response.status === 404 && notFoundIsNull) return null;
    if (response.ok) return (await response.json()) as T;
    throw await failure('GET', path, response);
  }

  private async change(method: 'PUT' | 'DELETE', path: string, body?: StatusChange): Promise<ChangeAnswer> {
    const response = await this.send(method, path, body);
    if (response.ok) return { outcome: 'applied', order: (await response.json()) as OrderDocument };
    if (response.status === 409) return { outcome: 'refused', message: ((await response.json()) as Error).message };
    throw await failure(method, path, response);
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'X-API-Key': this.apiKey };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new TransientApiError(`${method} ${path}: ${(error as Error).message}`);
    }
  }
}

async function failure(method: string, path: string, response: Response): Promise<Error> {
  const detail = `${method} ${path} answered ${response.status}: ${await response.text()}`;
  return response.status >= 500 || response.status === 429 ? new TransientApiError(detail) : new Error(detail);
}

function searchParams(query: Record<string, string | undefined>): string {
  return new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
}
