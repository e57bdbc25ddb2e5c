-- How long a login bucket is still blocked.
-- KEYS[1] the bucket's hash (see login-attempt.lua)
-- Returns the ms left to wait, 0 when not blocked.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
if blocked > now then return blocked - now end
return 0
