/**
 * The limits PATCH /me puts on a name and an avatar, for the values that arrive from tokens and
 * webhooks instead: their issuer may let users write them, and clients put them in pages.
 */

/** An https URL of at most 2048 characters, else null. */
export const httpsUrl = (value: string | null | undefined): string | null =>
  value && value.length <= 2048 && URL.canParse(value) && new URL(value).protocol === 'https:' ? value : null;

/** A name of at most 100 characters, else null: dropped rather than cut mid-character. */
export const fittingName = (value: string | null | undefined): string | null =>
  value && value.length <= 100 ? value : null;
