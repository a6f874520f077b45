/**
 * Every table, in one place: drizzle-kit reads this file to generate
 * migrations. Repositories import their tables directly.
 */
export * from './tenants/tenants.tables';
export * from './users/users.tables';
export * from './api-keys/api-keys.tables';
export * from './templates/templates.tables';
export * from './ticket-types/ticket-types.tables';
export * from './offers/offers.tables';
export * from './mailboxes/mailboxes.tables';
export * from './checkpoints/checkpoints.tables';
export * from './blobs/blobs.tables';
export * from './tickets/tickets.tables';
export * from './ledger/ledger.tables';
export * from './attempts/ingest-attempts.tables';
