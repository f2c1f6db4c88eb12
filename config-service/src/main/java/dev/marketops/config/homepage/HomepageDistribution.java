package dev.marketops.config.homepage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a group's live version where readers find it: (a) the static files
 * {@code homepage/<groupId>/v<N>.json} (immutable, long-cached) and {@code homepage/<groupId>/current.json}
 * under the static directory the gateway serves, written to a temporary file and moved into place so
 * nobody reads half a file; (b) the N Redis copies of the group's key in one pipeline; then (c) a note
 * on the refresh channel so every reader drops its in-process copy.
 */
@ApplicationScoped
public class HomepageDistribution {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HomepageService homepage;
    private final HomepageConfig config;
    private final Redis redis;
    private final ObjectMapper json;

    public HomepageDistribution(HomepageService homepage, HomepageConfig config, Redis redis, ObjectMapper json) {
        this.homepage = homepage;
        this.config = config;
        this.redis = redis;
        this.json = json;
    }

    /** Distributes the group's live version; empty when the group has none (nothing to do). */
    public Optional<Integer> distribute(long groupId) throws IOException {
        Optional<HomepageStore.Version> live = homepage.live(groupId);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        HomepageStore.Version v = live.get();
        byte[] body;
        try {
            body = json.writeValueAsBytes(v.document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Path dir = groupDir(groupId);
        Files.createDirectories(dir);
        writeAtomically(dir.resolve("v" + v.versionNo() + ".json"), body);
        writeAtomically(dir.resolve("current.json"), body);

        String value = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        long ttl = config.redisTtl().toSeconds();
        List<Request> sets = new ArrayList<>(config.copies());
        for (int i = 0; i < config.copies(); i++) {
            sets.add(Request.cmd(Command.SET).arg(key(config, groupId, i)).arg(value).arg("EX").arg(ttl));
        }
        redis.batch(sets).await().atMost(TIMEOUT);
        redis.send(Request.cmd(Command.PUBLISH).arg(config.refreshChannel()).arg(groupId + ":" + v.versionNo()))
                .await().atMost(TIMEOUT);
        return Optional.of(v.versionNo());
    }

    Path groupDir(long groupId) {
        return Path.of(config.staticDir(), "homepage", Long.toString(groupId));
    }

    static String key(HomepageConfig config, long groupId, int copy) {
        return config.redisPrefix() + groupId + ":" + copy;
    }

    private static void writeAtomically(Path target, byte[] body) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".json");
        try {
            Files.write(tmp, body);
            // Readable by the gateway's worker user: these files are public by design.
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
