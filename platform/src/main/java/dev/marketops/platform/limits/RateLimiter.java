package dev.marketops.platform.limits;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Token buckets in Redis, one hash per key, refilled continuously; the check-and-take is one Lua
 * script on Redis's own clock, so every replica shares the same buckets. When Redis is down the
 * request is let through (logged and counted): limits protect the platform, they must not take
 * it down.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final String SCRIPT = """
            local cap = tonumber(ARGV[1]); local rate = tonumber(ARGV[2]); local cost = tonumber(ARGV[3])
            local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(b[1]); local ts = tonumber(b[2])
            if tokens == nil then tokens = cap; ts = now end
            tokens = math.min(cap, tokens + (now - ts) * rate / 1000)
            local wait = 0
            if tokens >= cost then tokens = tokens - cost else wait = math.ceil((cost - tokens) * 1000 / rate) end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(cap * 1000 / rate) + 1000)
            return wait
            """;

    @Inject
    RedisDataSource redis;

    private final AtomicLong failOpen = new AtomicLong();

    /** Milliseconds to wait before the next call may pass; 0 = allowed now (and a token was taken). */
    public long acquire(String bucket, String subject) {
        Config c = ConfigProvider.getConfig();
        double capacity = c.getOptionalValue("marketops.rate-limit." + bucket + ".capacity", Double.class).orElse(100.0);
        double perSecond = c.getOptionalValue("marketops.rate-limit." + bucket + ".per-second", Double.class).orElse(50.0);
        String prefix = c.getOptionalValue("marketops.rate-limit.prefix", String.class).orElse("marketops:rl:");
        try {
            Response r = redis.execute("EVAL", SCRIPT, "1", prefix + bucket + ":" + subject,
                    Double.toString(capacity), Double.toString(perSecond), "1");
            return r == null ? 0 : r.toLong();
        } catch (RuntimeException e) {
            if (failOpen.getAndIncrement() % 1000 == 0) {
                LOG.warnf("rate limiter unavailable (%s); letting requests through", e.getMessage());
            }
            return 0;
        }
    }
}
