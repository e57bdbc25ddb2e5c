-- Shared head of the waiting-room scripts (prepended to each by room-store.ts).
-- KEYS[1] room hash: settings mirrored from MySQL (on, op, os, r, m, t) and state (s, cr, lt, seq, counters)
-- KEYS[2] queue zset: member = user id, score = place (random below 2^48 before the on-sale, 2^50 + arrival after)
-- KEYS[3] reached places not used yet: member = user id, score = the time the admission lapses unused
-- KEYS[4] used admissions: member = user id, score = the time the admission lapses idle
-- Admission is lazy: every script first advances the room to Redis' TIME, so no sweeper runs and expired
-- admissions never count.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local arrivalScores = 1125899906842624
local preQueueScores = 281474976710656

-- Lua formats numbers with 14 digits; scores and times need all of theirs.
local function int(x) return string.format('%.0f', x) end

local function readRoom()
  local v = redis.call('HMGET', KEYS[1], 'on', 'op', 'os', 'r', 'm', 't', 's', 'cr', 'lt', 'seq')
  if not v[1] then return nil end
  return {
    on = tonumber(v[1]), op = tonumber(v[2]), os = tonumber(v[3]), r = tonumber(v[4]), m = tonumber(v[5]),
    t = tonumber(v[6]), s = tonumber(v[7] or '0'), cr = tonumber(v[8] or '0'), lt = tonumber(v[9] or '0'),
    seq = tonumber(v[10] or '0'),
  }
end

-- Expires lapsed admissions (their capacity returns at once), then reaches as many next places as the rate
-- has credit for and the cap has room for. Returns places reached, admissions expired.
local function advance(room)
  if room.on ~= 1 or now < room.os then return 0, 0 end
  local unused = redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  local idle = redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  local live = redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
  local since = math.max(room.lt, room.os)
  -- At most 5 s of admissions are saved up while nobody waits, so a quiet room does not release a burst.
  local burst = math.max(1, room.r / 12)
  local credit = math.min(burst, room.cr + math.max(0, now - since) * room.r / 60000)
  local n = math.min(math.floor(credit), room.m - live)
  local reached = 0
  if n > 0 then
    local first = redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. int(room.s))
    local batch = redis.call('ZRANGE', KEYS[2], first, first + n - 1, 'WITHSCORES')
    local deadline = int(now + room.t * 1000)
    for i = 1, #batch, 2 do redis.call('ZADD', KEYS[3], deadline, batch[i]) end
    reached = #batch / 2
    if reached > 0 then room.s = tonumber(batch[#batch]) + 1 end
    credit = credit - reached
  end
  room.cr = credit
  room.lt = now
  redis.call('HSET', KEYS[1], 's', int(room.s), 'cr', tostring(credit), 'lt', int(now))
  if reached > 0 then redis.call('HINCRBY', KEYS[1], 'reached', reached) end
  if unused + idle > 0 then redis.call('HINCRBY', KEYS[1], 'expired', unused + idle) end
  return reached, unused + idle
end

-- Buyers waiting (joined, place not reached yet).
local function waiting(room)
  return redis.call('ZCARD', KEYS[2]) - redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. int(room.s))
end

local function preQueueCount()
  return redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. int(preQueueScores))
end
