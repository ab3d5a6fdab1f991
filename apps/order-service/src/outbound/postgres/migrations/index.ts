import { CreateWriteModel1763900000000 } from './1763900000000-create-write-model.js';
import { CreateReadModel1764000000000 } from './1764000000000-create-read-model.js';
import { CreateOrderStatistics1764100000000 } from './1764100000000-create-order-statistics.js';
import { AddOrderLifecycle1764300000000 } from './1764300000000-add-order-lifecycle.js';
import { AddOutboxTraceContext1764400000000 } from './1764400000000-add-outbox-trace-context.js';
import { CreateProcessingMarks1764500000000 } from './1764500000000-create-processing-marks.js';

/** Every migration, oldest first: an explicit list, so the build decides what runs, not a glob. */
export const migrations = [
  CreateWriteModel1763900000000,
  CreateReadModel1764000000000,
  CreateOrderStatistics1764100000000,
  AddOrderLifecycle1764300000000,
  AddOutboxTraceContext1764400000000,
  CreateProcessingMarks1764500000000,
];
