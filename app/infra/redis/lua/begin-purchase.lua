-- Marks a live hold as being purchased, and keeps its seats reserved while the ledger commits.
-- KEYS[1] seats hash   KEYS[2] the hold's record   KEYS[3] the user's live holds
-- ARGV: holdId, userId, idempotencyKey, leaseMs
-- Returns {"missing"} | {"purchased", orderId} | {"in_progress"} | {"expired"} | {"ok", seatsCsv}
local hold = redis.call('HMGET', KEYS[2], 'user', 'seats', 'count', 'exp', 'state', 'order', 'key', 'lease')
local user, seats, count, exp, state = hold[1], hold[2], hold[3], tonumber(hold[4]), hold[5]
if not user or user ~= ARGV[2] then return {'missing'} end
if state == 'purchased' then return {'purchased', hold[6]} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = tonumber(hold[8] or '0')
-- Another attempt with the same key may go on: the ledger's unique keys let exactly one of them commit.
if state == 'purchasing' and hold[7] ~= ARGV[3] and lease > now then return {'in_progress'} end
if state == 'released' or (exp <= now and not (state == 'purchasing' and lease > now)) then return {'expired'} end

local reservedUntil = math.max(exp, now + tonumber(ARGV[4]))
local value = 'h|' .. ARGV[1] .. '|' .. reservedUntil
for seat in string.gmatch(seats, '[^,]+') do
  redis.call('HSET', KEYS[1], seat, value)
end
redis.call('ZADD', KEYS[3], reservedUntil, ARGV[1] .. '|' .. count)
redis.call('HSET', KEYS[2], 'state', 'purchasing', 'key', ARGV[3], 'lease', reservedUntil)
return {'ok', seats}
