import type { Deps } from '../deps.ts';
import { burnVerification, hashPassword, verifyPassword } from '../domain/passwords.ts';
import { errors } from '../errors.ts';
import { findUserByEmail, insertUser, updatePasswordHash, upsertOrganizer } from '../infra/mysql/users.ts';

export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: 'buyer' | 'organizer';
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function registerUser(deps: Deps, input: { email: string; password: string; name: string }): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password, deps.config.PASSWORD_HASH_COST);
  const id = await insertUser(deps.db, { email, name: input.name, passwordHash });
  if (id === null) throw errors.emailTaken();
  return { id, email, name: input.name, role: 'buyer' };
}

/** Checks credentials; a legacy bcrypt hash (or a weaker scrypt cost) is replaced after a successful login. */
export async function authenticate(deps: Deps, input: { email: string; password: string }): Promise<PublicUser> {
  const cost = deps.config.PASSWORD_HASH_COST;
  const user = await findUserByEmail(deps.db, normalizeEmail(input.email));
  if (!user) {
    await burnVerification(input.password, cost);
    throw errors.invalidCredentials();
  }
  const { valid, needsRehash } = await verifyPassword(input.password, user.passwordHash, cost);
  if (!valid) throw errors.invalidCredentials();
  if (needsRehash) await updatePasswordHash(deps.db, user.id, await hashPassword(input.password, cost));
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** ADMIN_EMAIL / ADMIN_PASSWORD: the organizer account exists with this password after every start. */
export async function bootstrapOrganizer(deps: Deps): Promise<void> {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, PASSWORD_HASH_COST: cost } = deps.config;
  if (!email || !password) return;
  await upsertOrganizer(deps.db, normalizeEmail(email), 'Organizer', await hashPassword(password, cost));
}
