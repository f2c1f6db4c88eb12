package dev.marketops.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.query.SearchCriteria;
import dev.marketops.search.query.SearchQueries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The search API against its engine (issue 17): the same query at the same concurrency, once
 * through {@code GET /search/items} (token check, criteria, the engine call, hits mapped with
 * their promotional price, JSON out) and once sent to OpenSearch directly as the very request
 * the service builds ({@link SearchQueries#itemsRequest}), alternating three rounds each so
 * that both see the same machine. Prints requests/s, p50 and p99 of each and their ratios.
 * Run: {@code mvn -o -pl search-service test -Dtest=SearchBenchTest -Dsearch.bench=true}
 * ({@code -Dsearch.bench.items=20000 -Dsearch.bench.clients=16 -Dsearch.bench.seconds=8 -Dsearch.bench.warmup=15}).
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class SearchBenchTest {

    @Inject
    SearchIndex index;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.elasticsearch.hosts")
    String engineHost;
    @TestHTTPResource("/search/items")
    URL api;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** cpu: CPU time of this JVM (client, and the service in the service's rounds) and of the engine's process during the round. */
    record Round(String who, long requests, double seconds, long p50Micros, long p99Micros, double jvmCpuMs, double engineCpuMs) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /** CPU time so far of this JVM and of the OpenSearch process (0 when it is not a local process). */
    private static double[] cpuMillis() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double engine = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("org.opensearch.bootstrap.OpenSearch") || c.contains("OpenSearchRunner")).orElse(false))
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(0.0)).sum();
        return new double[] {os.getProcessCpuTime() / 1e6, engine};
    }

    @Test
    @EnabledIfSystemProperty(named = "search.bench", matches = "true")
    void searchApiAgainstTheEngineAlone() throws Exception {
        int items = Integer.getInteger("search.bench.items", 20_000);
        int clients = Integer.getInteger("search.bench.clients", 16);
        int seconds = Integer.getInteger("search.bench.seconds", 8);
        String run = "bench" + ThreadLocalRandom.current().nextInt(100_000_000);
        List<ItemSnapshot> batch = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            batch.add(Snapshots.item(1200 + i % 5 * 100).title("Top-up " + run + " card " + i).price(1000 + i % 700).stock(5 + i % 40)
                    .tags(run).build());
            if (batch.size() == 1000) {
                index.bulkIndex(ItemProjection.inScope(batch), false);
                batch.clear();
            }
        }
        index.bulkIndex(ItemProjection.inScope(batch), false);
        index.refresh();

        String q = "Top-up " + run;
        SearchCriteria criteria = SearchCriteria.parse(new SearchCriteria.Raw(null, "online", null, null, null, null, null, null, null,
                List.of(), null, null, null, null, q, null, null, null, null));
        String engineBody = SearchQueries.itemsRequest(json, criteria).toString();
        HttpRequest engine = HttpRequest.newBuilder(URI.create("http://" + engineHost.split(",")[0] + "/" + index.name() + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(engineBody)).build();
        HttpRequest service = HttpRequest.newBuilder(URI.create(api + "?status=online&q=" + java.net.URLEncoder.encode(q,
                java.nio.charset.StandardCharsets.UTF_8))).header("Authorization", Tokens.bearer("operator", 3)).GET().build();

        // Both answer the same hits.
        var fromEngine = json.readTree(HTTP.send(engine, HttpResponse.BodyHandlers.ofString()).body());
        var fromService = json.readTree(HTTP.send(service, HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(items, fromEngine.path("hits").path("total").path("value").asLong());
        assertEquals(items, fromService.path("total").asLong());
        assertEquals(fromEngine.path("hits").path("hits").get(0).path("_source").path("item_no").asLong(),
                fromService.path("items").get(0).path("itemId").asLong());

        // Warm-up of both, long enough for the JIT to finish with the service's path (its CPU per
        // request still fell by half from the second to the third round after 3 s).
        int warmup = Integer.getInteger("search.bench.warmup", 15);
        load(engine, clients, warmup);
        load(service, clients, warmup);
        List<Round> rounds = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            rounds.add(round("engine", engine, clients, seconds));
            rounds.add(round("service", service, clients, seconds));
        }
        StringBuilder out = new StringBuilder("SEARCH-BENCH " + items + " matching items, " + clients + " clients, " + seconds
                + " s per round, page of " + criteria.size() + "\n");
        for (Round r : rounds) {
            out.append(String.format("SEARCH-BENCH %-7s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  CPU per request: this JVM %.2f ms,"
                    + " engine %.2f ms%n", r.who(), r.perSecond(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0,
                    r.jvmCpuMs() / r.requests(), r.engineCpuMs() / r.requests()));
        }
        double engineRate = median(rounds, "engine", Round::perSecond), serviceRate = median(rounds, "service", Round::perSecond);
        double engineP99 = median(rounds, "engine", r -> r.p99Micros()), serviceP99 = median(rounds, "service", r -> r.p99Micros());
        out.append(String.format("SEARCH-BENCH median: engine %.0f req/s p99 %.2f ms; service %.0f req/s p99 %.2f ms; "
                + "service keeps %.0f%% of the engine's throughput, p99 x%.2f%n", engineRate, engineP99 / 1000, serviceRate,
                serviceP99 / 1000, 100 * serviceRate / engineRate, serviceP99 / engineP99));
        System.out.print(out);
        assertTrue(serviceRate > 0 && engineRate > 0);
    }

    private static Round round(String who, HttpRequest request, int clients, int seconds) throws Exception {
        double[] before = cpuMillis();
        long[] latencies = load(request, clients, seconds);
        double[] after = cpuMillis();
        Arrays.sort(latencies);
        return new Round(who, latencies.length, seconds, latencies[latencies.length / 2], latencies[(int) (latencies.length * 0.99)],
                after[0] - before[0], after[1] - before[1]);
    }

    private static double median(List<Round> rounds, String who, java.util.function.ToDoubleFunction<Round> f) {
        double[] v = rounds.stream().filter(r -> r.who().equals(who)).mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    /** {@code clients} loops sending the request for {@code seconds}; the latencies (µs) of every 200 answer. */
    private static long[] load(HttpRequest request, int clients, int seconds) throws Exception {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> parts = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                parts.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < until) {
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            mine.add((System.nanoTime() - t0) / 1000);
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : parts) {
                all.addAll(f.get());
            }
            assertEquals(0, failures.get(), "every request answered 200");
            return all.stream().mapToLong(Long::longValue).toArray();
        } finally {
            pool.shutdownNow();
        }
    }
}
