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
