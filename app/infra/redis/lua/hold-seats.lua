-- Holds seats for a batch of requests of one event, in order: each request is all-or-nothing and decided exactly
-- as if it had run alone, after the ones before it. One script per batch instead of one per request: the API's
-- cost of a Redis call is paid once for every hold of the batch (docs/onsale.md).
-- KEYS[1] seats hash (seatId -> "h|holdId|expiresAtMs" or "s|orderId")   KEYS[2] loaded marker
-- KEYS[3] bought hash (userId -> seats bought)
-- KEYS[4], KEYS[5] the event's waiting room: reached-unused and used admissions (zsets userId -> lapses at ms)
-- then two keys per request r = 0, 1, ...: KEYS[6 + 2r] the user's live holds (zset "holdId|count" -> expiresAtMs),
-- KEYS[7 + 2r] the new hold's record
-- ARGV: retainMs, then per request: holdId, userId, ttlMs, maxSeatsPerUser, admissionTtlMs ('' when the room does
-- not gate), seat count n, then its n seat ids
-- Returns one reply per request: {"not_loaded"} | {"queue_required"} | {"limit", heldOrBought, lapsesAt}
-- | {"taken", {seatId...}, lapsesAt} | {"ok", expiresAtMs, lapsesAt}; lapsesAt is when the buyer's admission now
-- lapses (0 without a room).
local seatsKey, boughtKey, unusedKey, usedKey = KEYS[1], KEYS[3], KEYS[4], KEYS[5]
local retain = tonumber(ARGV[1])
local batch = 1000 -- stays under Lua's limit on unpack() arguments

if redis.call('EXISTS', KEYS[2]) == 0 then
  local replies, arg = {}, 2
  while arg <= #ARGV do
    replies[#replies + 1] = {'not_loaded'}
    arg = arg + 6 + tonumber(ARGV[arg + 5])
  end
  return replies
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function hold(holdsKey, recordKey, holdId, userId, ttl, maxSeats, admissionTtl, seats)
  -- A hold attempt is the admitted buyer's activity: it marks the admission used and keeps it alive; without
  -- a live admission nothing is held. In this script, so the room costs the hold path no extra round trip.
  local lapsesAt = 0
  if admissionTtl then
    local pending = tonumber(redis.call('ZSCORE', unusedKey, userId) or '0')
    local used = tonumber(redis.call('ZSCORE', usedKey, userId) or '0')
    if pending <= now and used <= now then return {'queue_required'} end
    lapsesAt = math.max(used, now + admissionTtl)
    if pending > 0 then redis.call('ZREM', unusedKey, userId) end
    redis.call('ZADD', usedKey, string.format('%.0f', lapsesAt), userId)
  end
  local count = #seats

  redis.call('ZREMRANGEBYSCORE', holdsKey, '-inf', now)
  local heldOrBought = tonumber(redis.call('HGET', boughtKey, userId) or '0')
  for _, member in ipairs(redis.call('ZRANGE', holdsKey, 0, -1)) do
    heldOrBought = heldOrBought + tonumber(string.match(member, '|(%d+)$'))
  end
  if heldOrBought + count > maxSeats then return {'limit', heldOrBought, lapsesAt} end

  local taken = {}
  for from = 1, count, batch do
    local to = math.min(from + batch - 1, count)
    local states = redis.call('HMGET', seatsKey, unpack(seats, from, to))
    for i, state in ipairs(states) do
      if state and (string.sub(state, 1, 1) == 's' or tonumber(string.match(state, '|(%d+)$')) > now) then
        taken[#taken + 1] = seats[from + i - 1]
      end
    end
  end
  if #taken > 0 then return {'taken', taken, lapsesAt} end

  local expiresAt = now + ttl
  local value = 'h|' .. holdId .. '|' .. expiresAt
  for from = 1, count, batch do
    local to = math.min(from + batch - 1, count)
    local fields = {}
    for i = from, to do
      fields[#fields + 1] = seats[i]
      fields[#fields + 1] = value
    end
    redis.call('HSET', seatsKey, unpack(fields))
  end
  redis.call('ZADD', holdsKey, expiresAt, holdId .. '|' .. count)
  redis.call('PEXPIRE', holdsKey, ttl + retain)
  redis.call('HSET', recordKey, 'user', userId, 'seats', table.concat(seats, ','), 'count', count,
    'exp', expiresAt, 'state', 'active')
  redis.call('PEXPIRE', recordKey, ttl + retain)
  -- A buyer holding seats keeps the admission at least until the hold ends.
  if admissionTtl and expiresAt > lapsesAt then
    lapsesAt = expiresAt
    redis.call('ZADD', usedKey, string.format('%.0f', lapsesAt), userId)
  end
  return {'ok', expiresAt, lapsesAt}
end

local replies, arg, key = {}, 2, 6
while arg <= #ARGV do
  local count = tonumber(ARGV[arg + 5])
  local seats = {}
  for i = 1, count do seats[i] = ARGV[arg + 5 + i] end
  replies[#replies + 1] = hold(KEYS[key], KEYS[key + 1], ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2]),
    tonumber(ARGV[arg + 3]), tonumber(ARGV[arg + 4]), seats)
  arg = arg + 6 + count
  key = key + 2
end
return replies
