import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/** An event's waiting room as its organizer set it. */
export interface WaitingRoomRow {
  enabled: boolean;
  opensAt: Date;
  admissionRatePerMinute: number;
  maxActive: number;
  admissionTtlSeconds: number;
}

export async function findWaitingRoom(db: Pool, eventId: number): Promise<WaitingRoomRow | null> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT enabled, opens_at AS opensAt, admission_rate_per_minute AS admissionRatePerMinute, max_active AS maxActive,
            admission_ttl_seconds AS admissionTtlSeconds
       FROM waiting_rooms WHERE event_id = ?`,
    [eventId],
  );
  const row = rows[0];
  return row ? { ...(row as WaitingRoomRow), enabled: Boolean(row.enabled) } : null;
}

export async function saveWaitingRoom(db: Pool | PoolConnection, eventId: number, room: WaitingRoomRow): Promise<void> {
  await db.execute(
    `INSERT INTO waiting_rooms (event_id, enabled, opens_at, admission_rate_per_minute, max_active, admission_ttl_seconds)
     VALUES (?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), opens_at = VALUES(opens_at),
       admission_rate_per_minute = VALUES(admission_rate_per_minute), max_active = VALUES(max_active),
       admission_ttl_seconds = VALUES(admission_ttl_seconds)`,
    [eventId, room.enabled ? 1 : 0, room.opensAt, room.admissionRatePerMinute, room.maxActive, room.admissionTtlSeconds],
  );
}
