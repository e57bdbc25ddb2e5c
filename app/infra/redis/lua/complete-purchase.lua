-- Records a sale the ledger has committed: seats sold, the user's hold counted as bought. Safe to repeat.
-- KEYS[1] seats hash   KEYS[2] loaded marker   KEYS[3] bought hash   KEYS[4] the user's live holds
-- KEYS[5] the hold's record
-- ARGV: holdId, userId, orderId, seatId...
-- Without the loaded marker Redis has lost its state; the next loader rebuilds it from the ledger.
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local hold = redis.call('HMGET', KEYS[5], 'state', 'count')
if hold[1] == 'purchased' then return 0 end
local sold = 's|' .. ARGV[3]
for i = 4, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], sold)
end
if hold[2] then
  redis.call('ZREM', KEYS[4], ARGV[1] .. '|' .. hold[2])
  redis.call('HSET', KEYS[5], 'state', 'purchased', 'order', ARGV[3])
end
redis.call('HINCRBY', KEYS[3], ARGV[2], #ARGV - 3)
return 1
