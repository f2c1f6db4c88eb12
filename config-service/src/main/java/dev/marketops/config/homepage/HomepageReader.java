package dev.marketops.config.homepage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The storefront's read of a published homepage group. In order: the in-process copy (younger than
 * {@code local-ttl}, dropped early when ConfigPublishWorker announces a publish on the refresh
 * channel), one of the N Redis copies chosen by user id (so a hot group is read from N keys, spread
 * over a cluster's slots), the static file. A reader that only finds the file still answers.
 */
@ApplicationScoped
public class HomepageReader {

    private static final Logger LOG = Logger.getLogger(HomepageReader.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);

    /** A group's document as readers get it; source: local, redis or file. */
    public record Copy(long groupId, int version, byte[] body, String source, long expiresAt) {
        public String etag() {
            return "\"hp-" + groupId + "-v" + version + "\"";
        }
    }

    private final HomepageConfig config;
    private final Redis redis;
    private final RedisDataSource redisDataSource;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final ConcurrentHashMap<Long, Copy> local = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, io.micrometer.core.instrument.Counter> reads = new ConcurrentHashMap<>();

    public HomepageReader(HomepageConfig config, Redis redis, RedisDataSource redisDataSource, ObjectMapper json,
                          MeterRegistry meters) {
        this.config = config;
        this.redis = redis;
        this.redisDataSource = redisDataSource;
        this.json = json;
        this.meters = meters;
    }

    void subscribe(@Observes StartupEvent ignored) {
        // Every replica hears every publish (pub/sub is a broadcast) and drops that group's copy.
        redisDataSource.pubsub(String.class).subscribe(config.refreshChannel(), note -> {
            try {
                drop(Long.parseLong(note.substring(0, note.indexOf(':'))));
            } catch (RuntimeException e) {
                LOG.warnf("unreadable homepage refresh note %s", note);
            }
        });
    }

    public void drop(long groupId) {
        local.remove(groupId);
    }

    /** The group's live document, or empty when it has never been published. */
    public Uni<Optional<Copy>> read(long groupId, long userId) {
        long now = System.currentTimeMillis();
        Copy c = local.get(groupId);
        if (c != null && c.expiresAt() > now) {
            count("local");
            return Uni.createFrom().item(Optional.of(new Copy(groupId, c.version(), c.body(), "local", c.expiresAt())));
        }
        int copy = Math.floorMod(userId, config.copies());
        return redis.send(Request.cmd(Command.GET).arg(HomepageDistribution.key(config, groupId, copy)))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(r -> r == null ? null : r.toBytes())
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("redis read of homepage %d failed: %s", groupId, e.toString());
                    meters.counter("marketops_homepage_redis_errors_total").increment();
                    return null;
                })
                .flatMap(bytes -> bytes != null
                        ? Uni.createFrom().item(Optional.of(keep(groupId, bytes, "redis")))
                        : Uni.createFrom().item(() -> fromFile(groupId)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private Optional<Copy> fromFile(long groupId) {
        Path file = Path.of(config.staticDir(), "homepage", Long.toString(groupId), "current.json");
        try {
            return Optional.of(keep(groupId, Files.readAllBytes(file), "file"));
        } catch (NoSuchFileException e) {
            count("none");
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + file, e);
        }
    }

    private Copy keep(long groupId, byte[] body, String source) {
        count(source);
        int version;
        try {
            version = json.readTree(body).path("version").asInt();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable homepage document of group " + groupId, e);
        }
        Copy c = new Copy(groupId, version, body, source, System.currentTimeMillis() + config.localTtl().toMillis());
        local.merge(groupId, c, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        return c;
    }

    private void count(String source) {
        reads.computeIfAbsent(source, s -> meters.counter("marketops_homepage_reads_total", "source", s)).increment();
    }
}
