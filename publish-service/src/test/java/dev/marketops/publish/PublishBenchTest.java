package dev.marketops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.publish.support.Listings;
import dev.marketops.publish.support.PublishedEvents;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Figures, not assertions on time (run on demand: {@code mvn -o test -Dtest=PublishBenchTest -Dpublish.bench=true}).
 * Latency of one task: from the approve call to the instant listing-service made it ONLINE (the
 * listing.published event's timestamp, same clock). Batch: 10,000 tasks approved in ten chunks of
 * one batch, to the last task ONLINE.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
@EnabledIfSystemProperty(named = "publish.bench", matches = "true")
class PublishBenchTest {

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listingCommands;
    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub listingQueries;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void singleTaskApproveToOnline() {
        Listings listings = new Listings(listingCommands, listingQueries);
        int n = Integer.getInteger("publish.bench.single", 200);
        List<Long> latencies = new ArrayList<>();
        try (PublishedEvents published = new PublishedEvents(kafka)) {
            for (int i = 0; i < n + 10; i++) {
                long taskId = listings.submitted(SampleListings.DEAL, Map.of());
                long start = System.currentTimeMillis();
                listings.approve(taskId);
                Listings.await("task " + taskId + " published", 30_000, () -> published.poll().count(taskId) > 0);
                if (i >= 10) { // the first ten warm the JIT and the channels
                    latencies.add(published.timestampOf(taskId) - start);
                }
            }
        }
        Collections.sort(latencies);
        System.out.printf("BENCH single approve -> ONLINE over %d tasks: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", n,
                latencies.get(n / 2), latencies.get(n * 90 / 100), latencies.get(Math.min(n - 1, n * 99 / 100)), latencies.get(n - 1));
    }

    @Test
    void tenThousandTasksOfABatch() {
        Listings listings = new Listings(listingCommands, listingQueries);
        int n = Integer.getInteger("publish.bench.batch", 10_000);
        long batchId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        List<Long> ids = listings.submittedBatch(batchId, SampleListings.DEAL, n);
        Set<Long> all = new HashSet<>(ids);
        try (PublishedEvents published = new PublishedEvents(kafka)) {
            long start = System.currentTimeMillis();
            for (int from = 0; from < n; from += 1_000) {
                listings.approveBatch(batchId, ids.subList(from, Math.min(n, from + 1_000)));
            }
            long approved = System.currentTimeMillis();
            Listings.await("all " + n + " published", 600_000, () -> published.poll().countAll(all) == n);
            long last = ids.stream().mapToLong(published::timestampOf).max().orElseThrow();
            System.out.printf("BENCH batch of %d: approve calls took %d ms; first approve -> last task ONLINE %d ms (%.0f tasks/s)%n",
                    n, approved - start, last - start, n * 1000.0 / (last - start));
            assertEquals(n, published.totalFor(all));
        }
    }
}
