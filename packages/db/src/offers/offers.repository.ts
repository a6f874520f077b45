/**
 * A tenant's offers: the named catalog a mailbox picks its default offer from.
 * The queries live in the shared named-catalog factory (same shape as ticket
 * types); this module fixes the table, the row type and the `offer.*` errors.
 */
import type { Db } from '../database/database.types';
import { createNamedCatalogRepository } from '../shared/named-catalog.repository';
import { offers } from './offers.tables';

export type Offer = typeof offers.$inferSelect;

export const createOffersRepository = ({ db }: { db: Db }) =>
  createNamedCatalogRepository({
    db,
    table: offers,
    errors: {
      notFound: { code: 'offer.not_found', message: 'This offer does not exist.' },
      nameTaken: {
        code: 'offer.name_taken',
        message: (name) => `An offer named "${name}" exists already.`,
      },
      invalidName: { code: 'offer.invalid_name', message: 'Give the offer a name.' },
    },
  });

export type OffersRepository = ReturnType<typeof createOffersRepository>;
