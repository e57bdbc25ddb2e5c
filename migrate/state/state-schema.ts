/** Default schema for the tool's own bookkeeping on the target: never inside the migrated schema. */
export const DEFAULT_STATE_SCHEMA = '_ticketkit_migrate';
