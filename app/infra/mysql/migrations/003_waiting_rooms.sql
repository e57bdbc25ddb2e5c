-- Schema version 3: an event's virtual waiting room, as its organizer set it (issue 15). The queue itself
-- lives in Redis; this row is what Redis' mirror is rebuilt from.
CREATE TABLE waiting_rooms (
  event_id                  INT UNSIGNED NOT NULL,
  enabled                   TINYINT(1) NOT NULL,
  opens_at                  DATETIME(3) NOT NULL COMMENT 'the pre-queue opens; the on-sale is events.on_sale_at',
  admission_rate_per_minute INT UNSIGNED NOT NULL,
  max_active                INT UNSIGNED NOT NULL COMMENT 'admitted buyers at once, at most',
  admission_ttl_seconds     INT UNSIGNED NOT NULL COMMENT 'an admission unused or idle this long lapses',
  updated_at                DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (event_id),
  -- No ON DELETE action: changes a cascade makes are not in the binlog, so `bin/migrate db --follow` refuses them.
  CONSTRAINT fk_waiting_rooms_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
