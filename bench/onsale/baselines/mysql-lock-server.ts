// Baseline (b): the monolith's hold. Sessions in RAM (the buyer id arrives in a header, at no cost), seats
// checked and held in one MySQL transaction that locks the seat rows with SELECT ... FOR UPDATE.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Koa from 'koa';
import mysql, { type RowDataPacket } from 'mysql2/promise';

const db = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 20, queueLimit: 500 });
// MariaDB waits 50 s for a row lock by default; 10 s keeps a phase of the benchmark bounded in time.
db.pool.on('connection', (connection) => connection.query('SET SESSION innodb_lock_wait_timeout = 10'));
const holdTtlSeconds = 600;
const maxSeatsPerUser = Number(process.env.MAX_SEATS_PER_USER ?? 8);

const app = new Koa();
app.use(async (ctx) => {
  const match = /^\/api\/events\/(\d+)\/holds$/.exec(ctx.path);
  if (ctx.method === 'GET' && ctx.path === '/ping') return void (ctx.body = { status: 'ok' });
  if (ctx.method !== 'POST' || !match) return void (ctx.status = 404);
  const eventId = Number(match[1]);
  const userId = Number(ctx.get('X-User-Id'));
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  const seatIds = (JSON.parse(text) as { seatIds: number[] }).seatIds;

  const connection = await db.getConnection();
  try {
    await connection.beginTransaction();
    // Locked by primary key (not by an event_id index range, which would lock every seat of the event).
    const [locked] = await connection.query<RowDataPacket[]>(
      'SELECT id, event_id AS eventId FROM seats WHERE id IN (?) FOR UPDATE', [seatIds]);
    if (locked.length !== seatIds.length || locked.some((row) => row.eventId !== eventId)) return answer(ctx, 400, 'unknown_seats');
    const [taken] = await connection.query<RowDataPacket[]>(
      `SELECT seat_id AS id FROM bench_seat_holds WHERE seat_id IN (?) AND expires_at > NOW(3)
       UNION SELECT seat_id FROM tickets WHERE seat_id IN (?)`, [seatIds, seatIds]);
    if (taken.length) return answer(ctx, 409, 'seats_unavailable', { seatIds: taken.map((row) => row.id) });
    const [[held]] = await connection.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM bench_seat_holds WHERE event_id = ? AND user_id = ? AND expires_at > NOW(3)', [eventId, userId]);
    if (Number(held!.n) + seatIds.length > maxSeatsPerUser) return answer(ctx, 409, 'seat_limit_exceeded');
    const holdId = randomUUID();
    await connection.query(
      `INSERT INTO bench_seat_holds (seat_id, event_id, hold_id, user_id, expires_at) VALUES ?
       ON DUPLICATE KEY UPDATE hold_id = VALUES(hold_id), user_id = VALUES(user_id), expires_at = VALUES(expires_at)`,
      [seatIds.map((seatId) => [seatId, eventId, holdId, userId, new Date(Date.now() + holdTtlSeconds * 1000)])]);
    await connection.commit();
    ctx.status = 201;
    ctx.body = { hold: { id: holdId, eventId, seatIds } };
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    answer(ctx, 503, (error as { code?: string }).code ?? 'error');
  } finally {
    if (ctx.status !== 201) await connection.rollback().catch(() => undefined);
    connection.release();
  }
});

function answer(ctx: Koa.Context, status: number, code: string, details?: Record<string, unknown>): void {
  ctx.status = status;
  ctx.body = { error: { code, ...(details ? { details } : {}) } };
}

createServer(app.callback()).listen(Number(process.env.PORT), '127.0.0.1');
