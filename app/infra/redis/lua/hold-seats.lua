-- Holds every requested seat for one user, or none of them.
-- KEYS[1] seats hash (seatId -> "h|holdId|expiresAtMs" or "s|orderId")   KEYS[2] loaded marker
-- KEYS[3] bought hash (userId -> seats bought)   KEYS[4] the user's live holds (zset "holdId|count" -> expiresAtMs)
-- KEYS[5] the new hold's record
-- KEYS[6], KEYS[7] the event's waiting room: reached-unused and used admissions (zsets userId -> lapses at ms)
-- ARGV: holdId, userId, ttlMs, maxSeatsPerUser, retainMs, admissionTtlMs ('' when the room does not gate), seatId...
-- Returns {"not_loaded"} | {"queue_required"} | {"limit", heldOrBought, lapsesAt} | {"taken", {seatId...}, lapsesAt}
-- | {"ok", expiresAtMs, lapsesAt}; lapsesAt is when the buyer's admission now lapses (0 without a room).
if redis.call('EXISTS', KEYS[2]) == 0 then return {'not_loaded'} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local holdId, userId = ARGV[1], ARGV[2]
local ttl, maxSeats, retain = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local firstSeat, count = 7, #ARGV - 6

-- A hold attempt is the admitted buyer's activity: it marks the admission used and keeps it alive; without
-- a live admission nothing is held. One script, so the room costs the hold path no extra round trip.
local admissionTtl = tonumber(ARGV[6])
local lapsesAt = 0
if admissionTtl then
  local pending = tonumber(redis.call('ZSCORE', KEYS[6], userId) or '0')
  local used = tonumber(redis.call('ZSCORE', KEYS[7], userId) or '0')
  if pending <= now and used <= now then return {'queue_required'} end
  lapsesAt = math.max(used, now + admissionTtl)
  if pending > 0 then redis.call('ZREM', KEYS[6], userId) end
  redis.call('ZADD', KEYS[7], string.format('%.0f', lapsesAt), userId)
end
local batch = 1000 -- stays under Lua's limit on unpack() arguments

redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
local heldOrBought = tonumber(redis.call('HGET', KEYS[3], userId) or '0')
for _, member in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  heldOrBought = heldOrBought + tonumber(string.match(member, '|(%d+)$'))
end
if heldOrBought + count > maxSeats then return {'limit', heldOrBought, lapsesAt} end

local taken = {}
for from = firstSeat, #ARGV, batch do
  local to = math.min(from + batch - 1, #ARGV)
  local states = redis.call('HMGET', KEYS[1], unpack(ARGV, from, to))
  for i, state in ipairs(states) do
    if state and (string.sub(state, 1, 1) == 's' or tonumber(string.match(state, '|(%d+)$')) > now) then
      taken[#taken + 1] = ARGV[from + i - 1]
    end
  end
end
if #taken > 0 then return {'taken', taken, lapsesAt} end

local expiresAt = now + ttl
local value = 'h|' .. holdId .. '|' .. expiresAt
for from = firstSeat, #ARGV, batch do
  local to = math.min(from + batch - 1, #ARGV)
  local fields = {}
  for i = from, to do
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = value
  end
  redis.call('HSET', KEYS[1], unpack(fields))
end
redis.call('ZADD', KEYS[4], expiresAt, holdId .. '|' .. count)
redis.call('PEXPIRE', KEYS[4], ttl + retain)
redis.call('HSET', KEYS[5], 'user', userId, 'seats', table.concat(ARGV, ',', firstSeat), 'count', count,
  'exp', expiresAt, 'state', 'active')
redis.call('PEXPIRE', KEYS[5], ttl + retain)
-- A buyer holding seats keeps the admission at least until the hold ends.
if admissionTtl and expiresAt > lapsesAt then
  lapsesAt = expiresAt
  redis.call('ZADD', KEYS[7], string.format('%.0f', lapsesAt), userId)
end
return {'ok', expiresAt, lapsesAt}
