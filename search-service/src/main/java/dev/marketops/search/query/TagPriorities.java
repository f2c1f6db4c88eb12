package dev.marketops.search.query;

import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.ListTagsRequest;
import dev.marketops.proto.config.Tag;
import dev.marketops.platform.problem.ApiProblem;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The priority of every active tag (config-service's tag table, main seed 4.6.2), for ranking search
 * hits by their best tag. Kept for {@code marketops.search.tag-priorities-ttl}: ranking is applied
 * at query time, so a changed priority needs no reindexing.
 */
@ApplicationScoped
public class TagPriorities {

    private record Snapshot(Map<String, Integer> priorities, long expiresAt) {
    }

    @GrpcClient("config")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub config;

    @ConfigProperty(name = "marketops.search.tag-priorities-ttl", defaultValue = "PT30S")
    Duration ttl;

    private volatile Snapshot current;

    public Map<String, Integer> current() {
        Snapshot s = current;
        long now = System.currentTimeMillis();
        if (s != null && s.expiresAt() > now) {
            return s.priorities();
        }
        try {
            Map<String, Integer> fresh = new HashMap<>();
            for (Tag t : config.withDeadlineAfter(5, TimeUnit.SECONDS).listTags(ListTagsRequest.getDefaultInstance()).getTagsList()) {
                fresh.put(t.getTagCode(), t.getPriority());
            }
            current = new Snapshot(Map.copyOf(fresh), now + ttl.toMillis());
            return current.priorities();
        } catch (StatusRuntimeException e) {
            if (s != null) {
                return s.priorities(); // an older ranking beats no answer
            }
            throw ApiProblem.unavailable("CONFIG_UNAVAILABLE", "config-service could not list tags: " + e.getStatus().getCode());
        }
    }
}
