-- Joins the queue (ARGV[4] = '1') or reads the buyer's place (ARGV[4] = '0').
-- ARGV: userId, random pre-queue score, score of a place token the buyer showed ('' if none), join flag
-- Returns {'not_loaded'} | {'closed'} | {'none', ...} | {status, score, detail, used, reached, expired, joined, waiting, s, p}
-- where status is 'admitted' (detail = when it lapses), 'expired', or 'waiting' (detail = places ahead, -1 before the draw).
local room = readRoom()
if not room then return {'not_loaded'} end
if room.on ~= 1 or now < room.op then return {'closed'} end
local reached, expired = advance(room)
local user, join = ARGV[1], ARGV[4] == '1'
local score = redis.call('ZSCORE', KEYS[2], user)
local joined = 0
local pending = redis.call('ZSCORE', KEYS[3], user)
local used = redis.call('ZSCORE', KEYS[4], user)
if score then
  score = tonumber(score)
  if join and score < room.s and not pending and not used then
    -- The turn came and went unused: a new place at the back, in arrival order.
    room.seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    score = arrivalScores + room.seq
    redis.call('ZADD', KEYS[2], 'XX', int(score), user)
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
else
  return {'none', 0, 0, 0, reached, expired, 0, waiting(room), int(room.s), preQueueCount()}
end
local tail = {reached, expired, joined, waiting(room), int(room.s), preQueueCount()}
local function reply(status, detail, isUsed)
  return {status, int(score), detail, isUsed, tail[1], tail[2], tail[3], tail[4], tail[5], tail[6]}
end
if pending and score < room.s then return reply('admitted', pending, 0) end
if used and score < room.s then return reply('admitted', used, 1) end
if score < room.s then return reply('expired', 0, 0) end
if now < room.os and score < preQueueScores then return reply('waiting', -1, 0) end
return reply('waiting', redis.call('ZCOUNT', KEYS[2], int(room.s), '(' .. int(score)), 0)
