/** The longest `purge.retention` (and `olderThan`): ten years; much longer would overflow a date. */
export const MAX_RETENTION = 315_360_000;
/** The largest `purge.batchSize` (and `batchSize`): one statement must stay short. */
export const MAX_PURGE_BATCH = 10_000;
