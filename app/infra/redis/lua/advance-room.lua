-- Advances the room to now (the publisher calls it every second) and reports its state.
-- Returns {'not_loaded'} | {on, op, os, r, m, t, s, p, waiting, live, reached, expired, totalJoined, totalReached, totalExpired}
-- (reached and expired: by this call; the totals: since the room was loaded)
local room = readRoom()
if not room then return {'not_loaded'} end
local reached, expired = advance(room)
local live = redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
local totals = redis.call('HMGET', KEYS[1], 'joined', 'reached', 'expired')
return {room.on, int(room.op), int(room.os), room.r, room.m, room.t, int(room.s), preQueueCount(), waiting(room), live, reached, expired,
  tonumber(totals[1] or '0'), tonumber(totals[2] or '0'), tonumber(totals[3] or '0')}
