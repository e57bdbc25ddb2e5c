-- Gives a hold back to its buyer after a purchase attempt failed before the ledger committed.
-- KEYS[1] the hold's record   ARGV: idempotencyKey
local hold = redis.call('HMGET', KEYS[1], 'state', 'key')
if hold[1] ~= 'purchasing' or hold[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'active', 'lease', 0)
return 1
