-- Rebuilds an event's sold seats and per-buyer counts from the ledger after Redis lost them.
-- KEYS[1] seats hash   KEYS[2] loaded marker   KEYS[3] bought hash
-- ARGV: soldPairCount, seatId, orderId, ... , userId, boughtCount, ...
-- Called in batches; the marker is set by the last batch (ARGV[1] = -1 marks "finish").
if ARGV[1] == '-1' then
  redis.call('SET', KEYS[2], '1')
  return 1
end
local pairsCount = tonumber(ARGV[1])
local i = 2
for _ = 1, pairsCount do
  redis.call('HSET', KEYS[1], ARGV[i], 's|' .. ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
return 0
