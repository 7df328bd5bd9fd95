"""The Lua scripts that make each step of delivery atomic in Redis (all keys share one hash slot)."""

from __future__ import annotations

# Route one match: create each (subscription, channel) delivery once (SET NX on its state key),
# as a job on the stream or an entry in a digest, and acknowledge the match in the same step.
# A crash before this runs leaves the match pending (claimed again); after it, nothing is lost.
# KEYS: matches, jobs, digests-due, then per target: its state key and its digest key
# ARGV: group, entry id, state ttl, then per target: mode (now|digest), field, payload, due
ROUTE = """
local ttl = tonumber(ARGV[3])
local created = 0
local targets = (#KEYS - 3) / 2
for i = 1, targets do
  local state, digest = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
  local at = 3 + 4 * (i - 1)
  local mode, field, payload, due = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
  local value = 'queued'
  if mode ~= 'now' then value = 'in-digest' end
  if redis.call('SET', state, value, 'NX', 'EX', ttl) then
    created = created + 1
    if mode == 'now' then
      redis.call('XADD', KEYS[2], '*', 'job', payload)
    else
      redis.call('HSET', digest, field, payload)
      redis.call('ZADD', KEYS[3], 'NX', due, digest)
    end
  end
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return created
"""

# Move the held jobs whose time has come back onto the job stream.
# KEYS: scheduled, jobs   ARGV: now, limit
PROMOTE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, job in ipairs(due) do
  redis.call('XADD', KEYS[2], '*', 'job', job)
  redis.call('ZREM', KEYS[1], job)
end
return #due
"""

# Turn one due digest into one job: its alerts are joined into the job's JSON as they are.
# KEYS: digests-due, digest, jobs, digest-seq   ARGV: now, the job's JSON up to its alerts list
FLUSH_DIGEST = """
local score = redis.call('ZSCORE', KEYS[1], KEYS[2])
if (not score) or tonumber(score) > tonumber(ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[1], KEYS[2])
local items = redis.call('HVALS', KEYS[2])
redis.call('DEL', KEYS[2])
if #items == 0 then return 0 end
local seq = tostring(redis.call('INCR', KEYS[4]))
local head = string.gsub(ARGV[2], '__SEQ__', seq)
redis.call('XADD', KEYS[3], '*', 'job', head .. table.concat(items, ',') .. ']}')
return #items
"""

# Take a slot on a channel's rate limit, or say when one frees ('' means: go ahead).
# KEYS: rate   ARGV: now, window seconds, count, member
RESERVE = """
local now, window, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < count then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(window) + 60)
  return ''
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window)
"""

# Put one dead letter back on the job stream, once even if two people re-drive it together.
# KEYS: dead, jobs, state   ARGV: dead entry id, job JSON, state ttl
REDRIVE = """
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[3], 'queued', 'EX', tonumber(ARGV[3]))
redis.call('XADD', KEYS[2], '*', 'job', ARGV[2])
return 1
"""
