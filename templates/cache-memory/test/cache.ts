/** The in-memory cache needs no server: nothing to set up, nothing to skip. */
export const cacheUnavailable: string | undefined = undefined;

export const createTestCache = async () => ({ env: {}, drop: async () => {} });
