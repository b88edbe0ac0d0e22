namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// The window's Lua scripts, one atomic step each. Keys hang off ARGV[1], the prefix, because which render and
/// tenant keys a step touches is only known inside it (the tenant chosen, the render first in its line). Layout:
/// <c>renders</c> hash id→tenant; <c>tenants</c> set of tenants with work waiting; <c>tenant:T</c> zset of T's
/// renders with work waiting, by order; <c>waiting:ID</c> zset of item keys by order; <c>payload:ID</c> hash
/// key→payload; <c>out</c> hash "ID|KEY"→tenant; <c>out:ID</c> set of keys; <c>count</c> hash tenant→items out;
/// <c>unconfirmed</c> zset "ID|KEY"→reserved ms.
/// </summary>
internal static class RedisWindowScripts
{
    // ARGV: prefix, id, tenant, render order, republish (1/0), then key, order, payload per item.
    // Returns key, payload of every item already out, when asked to republish.
    public const string Enqueue = """
        local p, id, t = ARGV[1], ARGV[2], ARGV[3]
        local waiting = p .. 'waiting:' .. id
        local again = {}
        for i = 6, #ARGV, 3 do
          local key = ARGV[i]
          if redis.call('HEXISTS', p .. 'out', id .. '|' .. key) == 1 then
            if ARGV[5] == '1' then again[#again + 1] = key; again[#again + 1] = redis.call('HGET', p .. 'payload:' .. id, key) or ARGV[i + 2] end
          else
            redis.call('ZADD', waiting, 'NX', ARGV[i + 1], key)
            redis.call('HSET', p .. 'payload:' .. id, key, ARGV[i + 2])
          end
        end
        if redis.call('ZCARD', waiting) > 0 then
          redis.call('ZADD', p .. 'tenant:' .. t, ARGV[4], id)
          redis.call('SADD', p .. 'tenants', t)
          redis.call('HSET', p .. 'renders', id, t)
        end
        return again
        """;

    // ARGV: prefix, depth, now ms, default weight, default guaranteed places, default burst places, then tenant,
    // weight, guaranteed, burst per configured tenant. Returns id, key, payload per reserved item.
    // The tenant chosen is the one furthest below its guarantee (items out / guaranteed), else the one with the
    // fewest items out per weight; ties go by name so every replica decides alike.
    public const string Reserve = """
        local p, depth, now = ARGV[1], tonumber(ARGV[2]), ARGV[3]
        local default = { tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]) }
        local conf = {}
        for i = 7, #ARGV, 4 do conf[ARGV[i]] = { tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]) } end
        local out, total = {}, redis.call('HLEN', p .. 'out')
        while total < depth do
          local best, bestClass, bestKey = nil, 2, 0
          for _, t in ipairs(redis.call('SMEMBERS', p .. 'tenants')) do
            local c = conf[t] or default
            local n = tonumber(redis.call('HGET', p .. 'count', t) or '0')
            if n < c[3] then
              local class, key = 1, n / c[1]
              if n < c[2] then class, key = 0, n / c[2] end
              if class < bestClass or (class == bestClass and (key < bestKey or (key == bestKey and t < best))) then
                best, bestClass, bestKey = t, class, key
              end
            end
          end
          if not best then break end
          local line = p .. 'tenant:' .. best
          local first = redis.call('ZRANGE', line, 0, 0)
          if #first == 0 then
            redis.call('SREM', p .. 'tenants', best)
          else
            local id = first[1]
            local waiting = p .. 'waiting:' .. id
            local item = redis.call('ZPOPMIN', waiting)
            if #item > 0 then
              local key = item[1]
              redis.call('HSET', p .. 'out', id .. '|' .. key, best)
              redis.call('SADD', p .. 'out:' .. id, key)
              redis.call('HINCRBY', p .. 'count', best, 1)
              redis.call('ZADD', p .. 'unconfirmed', now, id .. '|' .. key)
              total = total + 1
              out[#out + 1] = id; out[#out + 1] = key; out[#out + 1] = redis.call('HGET', p .. 'payload:' .. id, key) or ''
            end
            if redis.call('ZCARD', waiting) == 0 then redis.call('ZREM', line, id) end
            if redis.call('ZCARD', line) == 0 then redis.call('SREM', p .. 'tenants', best) end
          end
        end
        return out
        """;

    // ARGV: prefix, id, key. Returns 1 when the item was out.
    public const string Release = """
        local p, id, key = ARGV[1], ARGV[2], ARGV[3]
        local t = redis.call('HGET', p .. 'out', id .. '|' .. key)
        if not t then return 0 end
        redis.call('HDEL', p .. 'out', id .. '|' .. key)
        redis.call('SREM', p .. 'out:' .. id, key)
        redis.call('ZREM', p .. 'unconfirmed', id .. '|' .. key)
        redis.call('HDEL', p .. 'payload:' .. id, key)
        if redis.call('HINCRBY', p .. 'count', t, -1) <= 0 then redis.call('HDEL', p .. 'count', t) end
        if redis.call('SCARD', p .. 'out:' .. id) == 0 and redis.call('ZCARD', p .. 'waiting:' .. id) == 0 then
          redis.call('HDEL', p .. 'renders', id)
          redis.call('DEL', p .. 'payload:' .. id)
        end
        return 1
        """;

    // ARGV: prefix, id.
    public const string Remove = """
        local p, id = ARGV[1], ARGV[2]
        for _, key in ipairs(redis.call('SMEMBERS', p .. 'out:' .. id)) do
          local t = redis.call('HGET', p .. 'out', id .. '|' .. key)
          redis.call('HDEL', p .. 'out', id .. '|' .. key)
          redis.call('ZREM', p .. 'unconfirmed', id .. '|' .. key)
          if t and redis.call('HINCRBY', p .. 'count', t, -1) <= 0 then redis.call('HDEL', p .. 'count', t) end
        end
        local t = redis.call('HGET', p .. 'renders', id)
        if t then
          redis.call('ZREM', p .. 'tenant:' .. t, id)
          if redis.call('ZCARD', p .. 'tenant:' .. t) == 0 then redis.call('SREM', p .. 'tenants', t) end
        end
        redis.call('DEL', p .. 'out:' .. id, p .. 'waiting:' .. id, p .. 'payload:' .. id)
        redis.call('HDEL', p .. 'renders', id)
        return 1
        """;

    // ARGV: prefix, before ms. Returns id, key, payload per item reserved before then and never confirmed.
    public const string Unconfirmed = """
        local p = ARGV[1]
        local result = {}
        for _, member in ipairs(redis.call('ZRANGEBYSCORE', p .. 'unconfirmed', '-inf', '(' .. ARGV[2])) do
          local bar = string.find(member, '|', 1, true)
          local id, key = string.sub(member, 1, bar - 1), string.sub(member, bar + 1)
          result[#result + 1] = id; result[#result + 1] = key; result[#result + 1] = redis.call('HGET', p .. 'payload:' .. id, key) or ''
        end
        return result
        """;
}
