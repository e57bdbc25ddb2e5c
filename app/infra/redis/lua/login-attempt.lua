-- Counts one login attempt for a bucket (an account, or one trusted browser of it), unless it is blocked.
-- KEYS[1] the bucket's hash: failures (attempts since the last success), blocked (until, ms since the epoch)
-- ARGV: failures allowed before blocking, first wait ms, longest wait ms, how long the count is kept ms
-- Returns 0 when the attempt may go ahead, else the ms left to wait. The attempt is counted as failed until
-- a success deletes the bucket; from the allowed number on, each failure blocks for a wait that doubles.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
if blocked > now then return blocked - now end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local allowed = tonumber(ARGV[1])
if failures >= allowed then
  local wait = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ math.min(failures - allowed, 40))
  redis.call('HSET', KEYS[1], 'blocked', string.format('%.0f', now + wait))
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0
