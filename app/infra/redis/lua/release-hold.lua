-- Releases a live hold: its seats become available at once.
-- KEYS[1] seats hash   KEYS[2] the hold's record   KEYS[3] the user's live holds
-- ARGV: holdId, userId
-- Returns "missing" | "purchased" | "in_progress" | "released"
local hold = redis.call('HMGET', KEYS[2], 'user', 'seats', 'count', 'state', 'lease')
if not hold[1] or hold[1] ~= ARGV[2] then return 'missing' end
if hold[4] == 'purchased' then return 'purchased' end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if hold[4] == 'purchasing' and tonumber(hold[5] or '0') > now then return 'in_progress' end
if hold[4] ~= 'released' then
  local prefix = 'h|' .. ARGV[1] .. '|'
  for seat in string.gmatch(hold[2], '[^,]+') do
    local state = redis.call('HGET', KEYS[1], seat)
    if state and string.sub(state, 1, #prefix) == prefix then redis.call('HDEL', KEYS[1], seat) end
  end
  redis.call('ZREM', KEYS[3], ARGV[1] .. '|' .. hold[3])
  redis.call('HSET', KEYS[2], 'state', 'released')
end
return 'released'
