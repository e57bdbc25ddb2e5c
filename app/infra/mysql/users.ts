import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: 'buyer' | 'organizer';
  passwordHash: string;
}

const columns = 'id, email, name, role, password_hash AS passwordHash';

export async function findUserByEmail(db: Pool, email: string): Promise<UserRow | null> {
  const [rows] = await db.execute<RowDataPacket[]>(`SELECT ${columns} FROM users WHERE email = ?`, [email]);
  return (rows[0] as UserRow | undefined) ?? null;
}

export interface LoginCandidate {
  /**
   * The address as the database compares it: its utf8mb4_unicode_ci sort key (the collation of
   * users.email) without trailing spaces, which that collation ignores. Two inputs that find the same
   * account (`Bücher@x.de`, `bucher@x.de`, `b\u200bucher@x.de `) have the same key, so a login throttle
   * keyed on it cannot be dodged by spelling the address another way; an unknown address has one too.
   */
  accountKey: Buffer;
  user: UserRow | null;
}

export async function findLoginCandidate(db: Pool, email: string): Promise<LoginCandidate> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT WEIGHT_STRING(CONVERT(? USING utf8mb4) COLLATE utf8mb4_unicode_ci) AS accountKey,
       u.id, u.email, u.name, u.role, u.password_hash AS passwordHash
     FROM (SELECT 1) AS one LEFT JOIN users u ON u.email = ?`,
    [email, email],
  );
  const { accountKey, ...user } = rows[0]!;
  return { accountKey: withoutPadding(accountKey as Buffer), user: user.id === null ? null : (user as UserRow) };
}

/** The weight of a space in utf8mb4_unicode_ci; the collation pads with it (PAD SPACE), so trailing ones do not count. */
function withoutPadding(weights: Buffer): Buffer {
  let end = weights.length;
  while (end >= 2 && weights[end - 2] === 0x02 && weights[end - 1] === 0x09) end -= 2;
  return weights.subarray(0, end);
}

export async function findUserById(db: Pool, id: number): Promise<UserRow | null> {
  const [rows] = await db.execute<RowDataPacket[]>(`SELECT ${columns} FROM users WHERE id = ?`, [id]);
  return (rows[0] as UserRow | undefined) ?? null;
}

/** Inserts a user; returns null when the email is taken. */
export async function insertUser(
  db: Pool,
  user: { email: string; name: string; passwordHash: string; role?: UserRow['role'] },
): Promise<number | null> {
  try {
    const [result] = await db.execute<ResultSetHeader>(
      'INSERT INTO users (email, name, password_hash, role) VALUES (?, ?, ?, ?)',
      [user.email, user.name, user.passwordHash, user.role ?? 'buyer'],
    );
    return result.insertId;
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_DUP_ENTRY') return null;
    throw error;
  }
}

export async function updatePasswordHash(db: Pool, id: number, passwordHash: string): Promise<void> {
  await db.execute('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, id]);
}

/** Creates the organizer account or brings an existing one up to date (password and role). */
export async function upsertOrganizer(db: Pool, email: string, name: string, passwordHash: string): Promise<void> {
  await db.execute(
    `INSERT INTO users (email, name, password_hash, role) VALUES (?, ?, ?, 'organizer')
     ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash), role = 'organizer'`,
    [email, name, passwordHash],
  );
}
