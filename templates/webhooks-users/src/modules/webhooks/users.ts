import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/users.js';
import { step, type Tx, type TxSteps } from '../../db/transaction.js';

/** A person as the auth provider describes them; `externalId` is the `sub` of their tokens. */
export interface Profile {
  externalId: string;
  email: string | null;
  name: string | null;
  avatarUrl: string | null;
}

/**
 * Creates the user or refreshes the fields the provider owns. Role and active are this app's
 * decisions and stay as they are.
 */
export function* upsertUser(tx: Tx, profile: Profile): TxSteps<void> {
  const { externalId: _, ...fields } = profile;
  yield* step(
    tx
      .insert(users)
      .values(profile)
      .onConflictDoUpdate({ target: users.externalId, set: { ...fields, updatedAt: new Date() } })
      .returning({ id: users.id }),
  );
}

/**
 * The provider deleted this person: they are refused from now on (403) and their personal fields are
 * cleared. The row stays, because audit_log rows point at it.
 */
export function* deactivateUser(tx: Tx, externalId: string): TxSteps<void> {
  yield* step(
    tx
      .update(users)
      .set({ active: false, email: null, name: null, avatarUrl: null, updatedAt: new Date() })
      .where(eq(users.externalId, externalId))
      .returning({ id: users.id }),
  );
}
