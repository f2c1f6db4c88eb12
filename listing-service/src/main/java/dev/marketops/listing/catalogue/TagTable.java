package dev.marketops.listing.catalogue;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.ListTagsRequest;
import dev.marketops.proto.config.Tag;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * config-service's tag table (main seed 4.6.2) as the catalogue checks item tags against it:
 * a tag put on or taken off an item is an active code of the table. The table is read whole
 * (ListTags, inactive ones included) and kept for {@code marketops.catalogue.tag-table-ttl}.
 * Codes the kept copy refuses are looked up again at once, so a tag created a moment ago is
 * found; the same refused codes again within {@code marketops.catalogue.tag-table-recheck} are
 * answered from the copy, so a flood of one bad code is not a flood of calls. A tag deactivated
 * after the copy was read is still taken until the copy expires.
 */
@ApplicationScoped
public class TagTable {

    /** Why tags cannot be used: a stable code (UNKNOWN_TAG, TAG_INACTIVE) and the codes concerned. */
    public record Refusal(String code, String message) {
    }

    private record Snapshot(Map<String, Boolean> activeByCode, long readAt) {
    }

    @GrpcClient("config")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub config;

    @ConfigProperty(name = "marketops.config.deadline", defaultValue = "PT5S")
    Duration deadline;
    @ConfigProperty(name = "marketops.catalogue.tag-table-ttl", defaultValue = "PT30S")
    Duration ttl;
    @ConfigProperty(name = "marketops.catalogue.tag-table-recheck", defaultValue = "PT1S")
    Duration recheck;

    private volatile Snapshot current;
    private final Map<Set<String>, Long> refusedAt = new ConcurrentHashMap<>();

    /** The reason these tags cannot be used, or empty when every one is an active tag. */
    public Optional<Refusal> refusal(Collection<String> codes) {
        return refusal(codes, false);
    }

    /**
     * The reason these tags cannot be used, or empty when every one is in the tag table (and
     * active, unless {@code inactiveAllowed}: a retired tag may still be taken off items).
     */
    public Optional<Refusal> refusal(Collection<String> codes, boolean inactiveAllowed) {
        long now = System.currentTimeMillis();
        Snapshot s = current;
        if (s == null || now - s.readAt() > ttl.toMillis()) {
            s = read(s, now);
        }
        Optional<Refusal> refused = refusal(s, codes, inactiveAllowed);
        if (refused.isPresent()) {
            Set<String> key = Set.copyOf(codes);
            Long last = refusedAt.get(key);
            if (s.readAt() != now && (last == null || now - last > recheck.toMillis())) {
                s = read(s, now);
                refused = refusal(s, codes, inactiveAllowed);
            }
            if (refused.isPresent()) {
                if (refusedAt.size() > 1000) {
                    refusedAt.clear(); // a bound, not a policy: the entries only spare calls
                }
                refusedAt.put(key, now);
            }
        }
        return refused;
    }

    static Optional<Refusal> refusal(Snapshot s, Collection<String> codes, boolean inactiveAllowed) {
        List<String> unknown = codes.stream().filter(c -> !s.activeByCode().containsKey(c)).toList();
        if (!unknown.isEmpty()) {
            return Optional.of(new Refusal("UNKNOWN_TAG", "not in the tag table: " + String.join(", ", unknown)));
        }
        List<String> inactive = inactiveAllowed ? List.of() : codes.stream().filter(c -> !s.activeByCode().get(c)).toList();
        if (!inactive.isEmpty()) {
            return Optional.of(new Refusal("TAG_INACTIVE", "inactive in the tag table: " + String.join(", ", inactive)));
        }
        return Optional.empty();
    }

    private Snapshot read(Snapshot old, long now) {
        try {
            Map<String, Boolean> fresh = new HashMap<>();
            for (Tag t : config.withWaitForReady().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .listTags(ListTagsRequest.newBuilder().setIncludeInactive(true).build()).getTagsList()) {
                fresh.put(t.getTagCode(), t.getActive());
            }
            Snapshot s = new Snapshot(Map.copyOf(fresh), now);
            current = s;
            return s;
        } catch (StatusRuntimeException e) {
            if (old != null && now - old.readAt() <= ttl.toMillis()) {
                return old; // only a recheck failed: the copy is still within its time
            }
            throw ApiProblem.unavailable("CONFIG_UNAVAILABLE", "config-service could not list tags: " + e.getStatus().getCode());
        }
    }
}
