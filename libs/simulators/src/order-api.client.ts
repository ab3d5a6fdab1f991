import type { OrderDocument, OrderPage, OrderStats } from './order-documents.js';

/** An answer the caller may retry: the service is down, restarting or overloaded. */
export class TransientApiError extends Error {}

/** Product B's REST client: every call carries the API key (contract section 3). */
export class OrderApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  /** The order, or null when the service does not know it (404). */
  async order(orderId: string): Promise<OrderDocument | null> {
    return this.get<OrderDocument>(`/orders/${encodeURIComponent(orderId)}`, true);
  }

  async page(query: Record<string, string | undefined>): Promise<OrderPage> {
    return (await this.get<OrderPage>(`/orders?${searchParams(query)}`, false)) as OrderPage;
  }

  async stats(query: Record<string, string | undefined>): Promise<OrderStats> {
    return (await this.get<OrderStats>(`/orders/stats?${searchParams(query)}`, false)) as OrderStats;
  }

  private async get<T>(path: string, notFoundIsNull: boolean): Promise<T | null> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { headers: { 'X-API-Key': this.apiKey } });
    } catch (error) {
      throw new TransientApiError(`GET ${path}: ${(error as Error).message}`);
    }
    if (response.status === 404 && notFoundIsNull) return null;
    if (response.ok) return (await response.json()) as T;
    const detail = `GET ${path} answered ${response.status}: ${await response.text()}`;
    throw response.status >= 500 || response.status === 429 ? new TransientApiError(detail) : new Error(detail);
  }
}

function searchParams(query: Record<string, string | undefined>): string {
  return new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
}
