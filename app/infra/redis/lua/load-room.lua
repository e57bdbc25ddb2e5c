-- Writes the room's settings (from MySQL) into its mirror; the queue's state is kept. The room is first
-- advanced under its old settings, so a rate change counts from now on.
-- ARGV: on, op, os, r, m, t
local room = readRoom()
if room then advance(room) end
redis.call('HSET', KEYS[1], 'on', ARGV[1], 'op', ARGV[2], 'os', ARGV[3], 'r', ARGV[4], 'm', ARGV[5], 't', ARGV[6])
-- Rate credit accrues from the on-sale: a room never advanced yet (its last advance is still the on-sale, in the
-- future) follows a moved on-sale.
if not room or room.lt > now then redis.call('HSET', KEYS[1], 'lt', ARGV[3]) end
return 'ok'
