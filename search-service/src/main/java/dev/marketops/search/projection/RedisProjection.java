package dev.marketops.search.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * L2 of the read projection: one Redis hash per item ({@code <prefix><itemId>}). Writes go
 * through a Lua script that compares versions on the server, so an older snapshot (a late
 * event, a slow replica) never overwrites a newer one; every batch is one pipeline.
 */
@ApplicationScoped
public class RedisProjection {

    public static final List<String> FIELDS = List.of("item_id", "version", "status", "title", "category_id", "shop_id",
            "source_type", "tags", "price", "face_value", "stock", "created_at", "updated_at", "skus");

    /**
     * KEYS[1] the item's hash; ARGV[1] the snapshot's version, ARGV[2] '1' when an equal
     * version may be rewritten (repairs of drift at the same version), then field/value pairs.
     * The hash is replaced whole so no field of an older shape survives.
     */
    static final String WRITE_IF_NEWER = """
            local cur = redis.call('HGET', KEYS[1], 'version')
            local v = tonumber(ARGV[1])
            if cur then
              local c = tonumber(cur)
              if c > v or (c == v and ARGV[2] ~= '1') then return 0 end
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            return 1
            """;

    static final String WRITE_SHA = sha1(WRITE_IF_NEWER);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final TypeReference<List<ItemProjection.SkuProjection>> SKUS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    Redis redis;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "marketops.search.redis-prefix", defaultValue = "marketops:item:")
    String prefix;

    public String key(long itemId) {
        return prefix + itemId;
    }

    /** Writes the items whose stored version is lower (or equal, with {@code allowEqualVersion}); returns how many were written. */
    public int write(List<ItemProjection> items, boolean allowEqualVersion) {
        if (items.isEmpty()) {
            return 0;
        }
        List<Response> answers;
        try {
            answers = redis.batch(writes(items, allowEqualVersion)).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            // Redis restarted or flushed its scripts: load it again and repeat (the writes are idempotent).
            redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(WRITE_IF_NEWER)).await().atMost(TIMEOUT);
            answers = redis.batch(writes(items, allowEqualVersion)).await().atMost(TIMEOUT);
        }
        int written = 0;
        for (Response r : answers) {
            written += r.toInteger();
        }
        return written;
    }

    /** EVALSHA: the script travels once (SCRIPT LOAD), not with each of the pipeline's commands. */
    private List<Request> writes(List<ItemProjection> items, boolean allowEqualVersion) {
        List<Request> batch = new ArrayList<>(items.size());
        for (ItemProjection p : items) {
            Request r = Request.cmd(Command.EVALSHA).arg(WRITE_SHA).arg(1).arg(key(p.itemId()))
                    .arg(p.version()).arg(allowEqualVersion ? "1" : "0");
            fields(p).forEach((f, v) -> r.arg(f).arg(v));
            batch.add(r);
        }
        return batch;
    }

    static String sha1(String script) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the hashes of items the catalogue does not have (orphans); one DEL. */
    public int delete(Collection<Long> itemIds) {
        if (itemIds.isEmpty()) {
            return 0;
        }
        Request del = Request.cmd(Command.DEL);
        itemIds.forEach(id -> del.arg(key(id)));
        return redis.send(del).await().atMost(TIMEOUT).toInteger();
    }

    /** The stored hashes of these items (absent when there is none), one pipeline of HMGETs. */
    public Map<Long, Map<String, String>> read(Collection<Long> itemIds) {
        Map<Long, Map<String, String>> out = new HashMap<>();
        if (itemIds.isEmpty()) {
            return out;
        }
        List<Long> ids = List.copyOf(itemIds);
        List<Request> batch = new ArrayList<>(ids.size());
        for (long id : ids) {
            Request r = Request.cmd(Command.HMGET).arg(key(id));
            FIELDS.forEach(r::arg);
            batch.add(r);
        }
        List<Response> answers = redis.batch(batch).await().atMost(TIMEOUT);
        for (int i = 0; i < ids.size(); i++) {
            Response values = answers.get(i);
            Map<String, String> hash = new LinkedHashMap<>();
            for (int f = 0; f < FIELDS.size(); f++) {
                Response v = values.get(f);
                if (v != null) {
                    hash.put(FIELDS.get(f), v.toString());
                }
            }
            if (hash.containsKey("version")) {
                out.put(ids.get(i), hash);
            }
        }
        return out;
    }

    public Map<String, String> fields(ItemProjection p) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("item_id", Long.toString(p.itemId()));
        f.put("version", Long.toString(p.version()));
        f.put("status", p.status());
        f.put("title", p.title());
        f.put("category_id", Long.toString(p.categoryId()));
        f.put("shop_id", Long.toString(p.shopId()));
        f.put("source_type", p.sourceType());
        f.put("tags", write(p.tags()));
        f.put("price", Long.toString(p.priceCents()));
        f.put("face_value", Long.toString(p.faceValueCents()));
        f.put("stock", Long.toString(p.stock()));
        f.put("created_at", Long.toString(p.createdAt()));
        f.put("updated_at", Long.toString(p.updatedAt()));
        f.put("skus", write(p.skus()));
        return f;
    }

    public ItemView view(Map<String, String> h, String level) {
        return new ItemView(num(h, "item_id"), num(h, "category_id"), num(h, "shop_id"), h.getOrDefault("title", ""),
                h.getOrDefault("status", ""), num(h, "version"), h.getOrDefault("source_type", ""),
                read(h.get("tags"), STRINGS), num(h, "price"), num(h, "face_value"), num(h, "stock"),
                num(h, "created_at"), num(h, "updated_at"), read(h.get("skus"), SKUS), level);
    }

    private static long num(Map<String, String> h, String field) {
        String v = h.get(field);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE; // garbage in the hash: reconciliation sees it as drift
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> List<T> read(String value, TypeReference<List<T>> type) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
