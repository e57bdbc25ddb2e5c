-- Marks an admission used and keeps it alive: an inventory request (seat map, purchase) by an admitted buyer.
-- KEYS[1] reached-unused zset, KEYS[2] used zset. ARGV: userId, ttlMs
-- Returns {'ok', lapsesAt} | {'gone'} (it lapsed, or Redis lost it)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local user, ttl = ARGV[1], tonumber(ARGV[2])
local pending = tonumber(redis.call('ZSCORE', KEYS[1], user) or '0')
local used = tonumber(redis.call('ZSCORE', KEYS[2], user) or '0')
if pending <= now and used <= now then return {'gone'} end
local lapsesAt = math.max(used, now + ttl)
if pending > 0 then redis.call('ZREM', KEYS[1], user) end
redis.call('ZADD', KEYS[2], string.format('%.0f', lapsesAt), user)
return {'ok', lapsesAt}
