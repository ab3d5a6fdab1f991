import { ReceivedRangeRequest } from './received-range.request.js';

/** The query string of GET /orders/stats: only the received window. */
export class OrderStatsRequest extends ReceivedRangeRequest {}
