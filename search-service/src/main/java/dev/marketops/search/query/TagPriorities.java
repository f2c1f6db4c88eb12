package dev.marketops.search.query;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.config.ListTagsRequest;
import dev.marketops.proto.config.MutinyConfigQueriesGrpc;
import dev.marketops.proto.config.Tag;
import dev.marketops.search.config.KeptValue;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The priority of every active tag (config-service's tag table, main seed 4.6.2), for ranking search
 * hits by their best tag. Kept for {@code marketops.search.tag-priorities-ttl}: ranking is applied
 * at query time, so a changed priority needs no reindexing. An older ranking beats no answer.
 */
@ApplicationScoped
public class TagPriorities {

    @GrpcClient("config")
    MutinyConfigQueriesGrpc.MutinyConfigQueriesStub config;

    @ConfigProperty(name = "marketops.search.tag-priorities-ttl", defaultValue = "PT30S")
    Duration ttl;

    private KeptValue<Map<String, Integer>> kept;

    @PostConstruct
    void keep() {
        kept = new KeptValue<>(ttl, () -> config.withDeadlineAfter(5, TimeUnit.SECONDS).listTags(ListTagsRequest.getDefaultInstance())
                .map(r -> {
                    Map<String, Integer> fresh = new HashMap<>();
                    for (Tag t : r.getTagsList()) {
                        fresh.put(t.getTagCode(), t.getPriority());
                    }
                    return Map.copyOf(fresh);
                }));
    }

    /** Fails with CONFIG_UNAVAILABLE when config-service cannot be asked and there is no earlier ranking. */
    public Uni<Map<String, Integer>> later() {
        return kept.get(e -> {
            throw ApiProblem.unavailable("CONFIG_UNAVAILABLE", "config-service could not list tags: " + Status.fromThrowable(e).getCode());
        }, e -> {
        });
    }

    public Map<String, Integer> current() {
        return later().await().atMost(Duration.ofSeconds(6));
    }
}
