-- Joins the queue (ARGV[4] = '1') or reads the buyer's place (ARGV[4] = '0').
-- ARGV: userId, random pre-queue score, score of a place token the buyer showed ('' if none), join flag
-- Returns {'not_loaded'} | {'closed'} | {'none', ...} | {status, score, detail, used, reached, expired, joined, waiting, s, p}
-- where status is 'admitted' (detail = when it lapses), 'expired', or 'waiting' (detail = places ahead, -1 before the draw).
local room = readRoom()
if not room then return {'not_loaded'} end
if room.on ~= 1 or now < room.op then return {'closed'} end
local user, join = ARGV[1], ARGV[4] == '1'
local function live(key)
  local lapsesAt = tonumber(redis.call('ZSCORE', key, user) or '0')
  if lapsesAt > now then return lapsesAt end
  return nil
end
local score = redis.call('ZSCORE', KEYS[2], user)
local joined = 0
if score then
  score = tonumber(score)
  if join and score < room.s and not live(KEYS[3]) and not live(KEYS[4]) then
    -- The turn came and went unused: a new place at the back, in arrival order.
    room.seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    score = arrivalScores + room.seq
    redis.call('ZADD', KEYS[2], 'XX', int(score), user)
    redis.call('HINCRBY', KEYS[1], 'joined', 1)
    joined = 1
  end
elseif join then
  local shown = tonumber(ARGV[3])
  if shown and shown >= room.s then
    score = shown -- a place Redis lost (restart, failover) comes back from the buyer's signed token
  elseif now < room.os then
    score = tonumber(ARGV[2])
  else
    room.seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    score = arrivalScores + room.seq
  end
  redis.call('ZADD', KEYS[2], 'NX', int(score), user)
  redis.call('HINCRBY', KEYS[1], 'joined', 1)
  joined = 1
end
-- Advanced after the join, so a buyer who joins while there is room is admitted by this very answer.
local reached, expired = advance(room)
if not score then return {'none', 0, 0, 0, reached, expired, 0, waiting(room), int(room.s), preQueueCount()} end
local pending, used = live(KEYS[3]), live(KEYS[4])
local tail = {reached, expired, joined, waiting(room), int(room.s), preQueueCount()}
local function reply(status, detail, isUsed)
  return {status, int(score), detail, isUsed, tail[1], tail[2], tail[3], tail[4], tail[5], tail[6]}
end
if pending and score < room.s then return reply('admitted', int(pending), 0) end
if used and score < room.s then return reply('admitted', int(used), 1) end
if score < room.s then return reply('expired', 0, 0) end
if now < room.os and score < preQueueScores then return reply('waiting', -1, 0) end
return reply('waiting', redis.call('ZCOUNT', KEYS[2], int(room.s), '(' .. int(score)), 0)
