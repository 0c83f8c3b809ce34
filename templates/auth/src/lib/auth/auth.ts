import type { Db } from '../../db/client.js';
import type { Env } from '../../env.js';
import { createUsersService, type UsersService } from '../../modules/users/service.js';
import type { Logger } from '../logger.js';
import { authConfig } from './config.js';
import type { TokenReader } from './token.js';
import { createVerifier, type Verifier } from './verify.js';

export interface Auth {
  readToken: TokenReader;
  verify: Verifier;
  users: UsersService;
}

/** Reads the auth settings once at boot; a missing or weak setting stops the app from starting. */
export const createAuth = async (env: Env, { db, logger }: { db: Db; logger: Logger }): Promise<Auth> => {
  const { verifier, readToken } = await authConfig(env, logger);
  return { readToken, verify: createVerifier(verifier), users: createUsersService(db) };
};
