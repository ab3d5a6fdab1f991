export * from './cli-options.js';
export * from './decimal-totals.js';
export * from './order-api.client.js';
export * from './order-documents.js';
export * from './progress-line.js';
export * from './text-table.js';
