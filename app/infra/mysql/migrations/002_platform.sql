-- Schema version 2: what the platform adds to the monolith's schema (additions only).
ALTER TABLE users
  ADD COLUMN role ENUM('buyer', 'organizer') NOT NULL DEFAULT 'buyer' AFTER name;

ALTER TABLE events
  ADD COLUMN poster_key VARCHAR(1024) NULL COMMENT 'S3 object key; URLs are built from POSTER_BASE_URL' AFTER poster_path;

-- One order per hold and per (buyer, Idempotency-Key): a retried purchase can never create a second order.
-- Legacy orders have neither, and NULLs do not collide in a UNIQUE index.
ALTER TABLE orders
  ADD COLUMN hold_id VARCHAR(64) NULL AFTER total_cents,
  ADD COLUMN idempotency_key VARCHAR(255) NULL AFTER hold_id,
  ADD UNIQUE KEY uq_orders_hold (hold_id),
  ADD UNIQUE KEY uq_orders_idempotency (user_id, idempotency_key);

-- A seat can be sold once: the ledger refuses a second ticket even when Redis has forgotten everything.
ALTER TABLE tickets
  DROP INDEX ix_tickets_seat,
  ADD UNIQUE KEY uq_tickets_seat (seat_id);
