import type { Deps } from '../deps.ts';
import { accountTag, newDeviceNonce, type DeviceToken } from '../domain/account-tag.ts';
import { normalizeEmail, parseEmail } from '../domain/emails.ts';
import { parseName } from '../domain/names.ts';
import { passwordProblem } from '../domain/password-policy.ts';
import { errors } from '../errors.ts';
import { commonPasswords } from '../infra/common-passwords.ts';
import type { LoginBucket } from '../infra/redis/login-throttle.ts';
import { findLoginCandidate, findUserByEmail, insertUser, updatePasswordHash, upsertOrganizer } from '../infra/mysql/users.ts';

export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: 'buyer' | 'organizer';
}

/** Only for development: production refuses to start without SESSION_KEYS (see config.ts). */
const developmentSecret = 'ticketkit-development-account-tag-not-for-production';

/**
 * Creates a buyer account. The name and email are normalised and checked, the password against the
 * common-password list, before any hashing; a taken email is answered without hashing either.
 */
export async function registerUser(deps: Deps, input: { email: string; password: string; name: string }): Promise<PublicUser> {
  const name = parseName(input.name);
  if (!name.ok) throw errors.nameInvalid(name.problem);
  const email = parseEmail(input.email);
  if (!email.ok) throw errors.emailInvalid(email.problem);
  const common = await commonPasswords();
  const problem = passwordProblem(input.password, (candidate) => common.has(candidate));
  if (problem === 'common') throw errors.passwordCommon();
  if (problem) throw errors.passwordInvalid(problem);
  // The kit sends no email, so it cannot hide that an address is registered (docs/accounts.md).
  if (await findUserByEmail(deps.db, email.email)) throw errors.emailTaken();
  const passwordHash = await deps.passwords.run((hashing) => hashing.hash(input.password));
  const id = await insertUser(deps.db, { email: email.email, name: name.name, passwordHash });
  if (id === null) throw errors.emailTaken();
  return { id, email: email.email, name: name.name, role: 'buyer' };
}

/**
 * Checks credentials under the account's login throttle. `device` is the browser's device cookie: when
 * it names this account, the attempt counts in that browser's own bucket, not the account's shared one.
 * Unknown addresses are throttled and cost the same hash work as known ones. A legacy bcrypt hash (or a
 * weaker scrypt cost) is replaced after a successful login. Returns the device cookie to set.
 */
export async function authenticate(
  deps: Deps,
  input: { email: string; password: string },
  device?: DeviceToken,
): Promise<{ user: PublicUser; device: DeviceToken }> {
  const { accountKey, user } = await findLoginCandidate(deps.db, normalizeEmail(input.email));
  const account = accountTag(deps.config.SESSION_KEYS?.[0] ?? developmentSecret, accountKey);
  const bucket: LoginBucket = device?.account === account ? { account, device: device.nonce } : { account };
  // A throttled login is refused before it waits for a hash slot.
  throwIfWaiting(await deps.loginThrottle.waitMs(bucket));
  const { found, upgradedHash } = await deps.passwords.run(async (hashing) => {
    throwIfWaiting(await deps.loginThrottle.attempt(bucket));
    const verified = await hashing.verify(input.password, user?.passwordHash ?? null);
    if (!user || !verified.valid) throw errors.invalidCredentials();
    return { found: user, upgradedHash: verified.upgradedHash };
  });
  await deps.loginThrottle.succeeded(bucket);
  if (upgradedHash) await updatePasswordHash(deps.db, found.id, upgradedHash);
  return {
    user: { id: found.id, email: found.email, name: found.name, role: found.role },
    device: { account, nonce: newDeviceNonce() },
  };
}

function throwIfWaiting(waitMs: number): void {
  if (waitMs > 0) throw errors.loginThrottled(Math.ceil(waitMs / 1000));
}

/** ADMIN_EMAIL / ADMIN_PASSWORD: the organizer account exists with this password after every start. */
export async function bootstrapOrganizer(deps: Deps): Promise<void> {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = deps.config;
  if (!email || !password) return;
  const passwordHash = await deps.passwords.run((hashing) => hashing.hash(password));
  await upsertOrganizer(deps.db, normalizeEmail(email), 'Organizer', passwordHash);
}
