package dev.marketops.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierUpdate;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Module-level figures (supplier-sync-service + the real listing-service and config-service):
 * sustained push throughput of catalogue updates through one gRPC stream, and a 1,000-record
 * pull to listing tasks, and push latency per message.
 * {@code mvn -o test -Dtest=SupplierBenchTest -Dsupplier.bench=true};
 * prints the figures (no timed asserts). The fleet-wide figures (push -> ONLINE and searchable)
 * are e2e-tests' SupplierBench.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "supplier.bench", matches = "true")
class SupplierBenchTest {

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void pushThroughputOfCatalogueUpdates() {
        int items = Integer.getInteger("bench.items", 500);
        int rounds = Integer.getInteger("bench.rounds", 60); // 30,000 updates: sustained, past the JIT's warm-up
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<SupplierUpdate> create = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            create.add(SupplierClients.update("c" + i, SupplierRecords.movie("B-" + run + "-" + i, 1, 40, 50, "scheduled")));
        }
        List<SupplierAck> made = pushUntil(create, "created");
        List<Long> tasks = made.stream().map(SupplierAck::getTaskId).toList();
        // a Publisher's stubs carry one deadline from their creation: a fresh one per chunk on a loaded machine
        for (int from = 0; from < tasks.size(); from += 250) {
            new Publisher(listing, catalog).publish(tasks.subList(from, Math.min(tasks.size(), from + 250)));
        }
        // warm-up round: learns the item ids (pending -> synced)
        List<SupplierUpdate> warm = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            warm.add(SupplierClients.update("w" + i, SupplierRecords.movie("B-" + run + "-" + i, 2, 41, 49, "scheduled")));
        }
        pushUntil(warm, "updated");
        List<SupplierUpdate> updates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < items; i++) {
                updates.add(SupplierClients.update("u" + r + "-" + i, SupplierRecords.movie("B-" + run + "-" + i, 3 + r,
                        42 + r + (i % 7) / 10.0, 48 - (r % 20), "scheduled")));
            }
        }
        long t0 = System.nanoTime();
        SupplierClients.Pushed out = SupplierClients.push(grpcPort, SupplierPushTest.CINEMA, updates);
        double secs = (System.nanoTime() - t0) / 1e9;
        long updated = out.acks().stream().filter(a -> "updated".equals(a.getOutcome())).count();
        System.out.printf("BENCH supplier push: %d updates (%d items x %d rounds, price + stock each) in %.2f s = %.0f updates/s applied; "
                + "outcomes updated=%d other=%d%n", updates.size(), items, rounds, secs, updated / secs, updated, updates.size() - updated);
        for (io.micrometer.core.instrument.Timer t : meters.find("supplier_listing_call_seconds").timers()) {
            System.out.printf("BENCH   listing call %s: %d calls, mean %.1f ms%n", t.getId().getTag("call"), t.count(),
                    t.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        for (io.micrometer.core.instrument.Timer t : meters.find("supplier_page_seconds").timers()) {
            System.out.printf("BENCH   page (%s): %d pages, mean %.1f ms%n", t.getId().getTag("channel"), t.count(),
                    t.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        assertEquals(updates.size(), out.acks().size());
    }

    /** Pushes, and pushes again what a loaded machine answered UNAVAILABLE (the supplier's part of the contract). */
    private List<SupplierAck> pushUntil(List<SupplierUpdate> updates, String outcome) {
        SupplierAck[] out = new SupplierAck[updates.size()];
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            left.add(i);
        }
        for (int attempt = 0; attempt < 5 && !left.isEmpty(); attempt++) {
            List<SupplierAck> acks = SupplierClients.push(grpcPort, SupplierPushTest.CINEMA,
                    left.stream().map(updates::get).toList()).acks();
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < left.size(); k++) {
                out[left.get(k)] = acks.get(k);
                if (!outcome.equals(acks.get(k).getOutcome())) {
                    again.add(left.get(k));
                }
            }
            left = again;
        }
        assertEquals(List.of(), left, left.isEmpty() ? "" : out[left.get(0)].toString());
        return List.of(out);
    }

    /**
     * Push latency, one message at a time on one stream (send -> its ack, no queueing): a few
     * hundred new sessions (ack "created": listing task created and submitted as the supplier;
     * ONLINE needs audit-service and publish-service, which only the fleet bench has), then an
     * update of each once it is online (ack "updated": price and stock applied to the ONLINE item).
     */
    @Test
    void pushLatencyPerMessage() throws Exception {
        int n = Integer.getInteger("bench.sessions", 300);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<SupplierUpdate> create = new ArrayList<>();
        List<SupplierUpdate> update = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            create.add(SupplierClients.update("lc" + i, SupplierRecords.movie("L-" + run + "-" + i, 1, 40, 50, "scheduled")));
            update.add(SupplierClients.update("lu" + i, SupplierRecords.movie("L-" + run + "-" + i, 2, 41, 49, "scheduled")));
        }
        List<SupplierAck> acks = new ArrayList<>();
        long[] created = oneAtATime(create, acks);
        assertEquals(n, acks.stream().filter(a -> "created".equals(a.getOutcome())).count(), acks.isEmpty() ? "" : acks.get(0).toString());
        List<Long> tasks = acks.stream().map(SupplierAck::getTaskId).toList();
        // a Publisher's stubs carry one deadline from their creation: a fresh one per chunk on a loaded machine
        for (int from = 0; from < tasks.size(); from += 250) {
            new Publisher(listing, catalog).publish(tasks.subList(from, Math.min(tasks.size(), from + 250)));
        }
        // the items are learnt by the pending resolver (every 1 s in tests): wait until every one is synced
        SupplierPushTest.await("the published sessions are known", () -> {
            try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM supplier_item WHERE supplier_code = "
                    + "'CINEMA_ONE' AND external_id LIKE ? AND item_id IS NOT NULL")) {
                ps.setString(1, "L-" + run + "-%");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == n;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        acks.clear();
        long[] updated = oneAtATime(update, acks);
        assertEquals(n, acks.stream().filter(a -> "updated".equals(a.getOutcome())).count(), acks.get(0).toString());
        System.out.printf("BENCH supplier push latency, %d sessions one at a time: new session -> task created+submitted p50 %.1f ms, "
                + "p99 %.1f ms; update of an ONLINE session -> applied p50 %.1f ms, p99 %.1f ms%n", n,
                pct(created, 50), pct(created, 99), pct(updated, 50), pct(updated, 99));
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource ds;

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Sends each update and waits for its ack before the next; answers the latencies (ns). */
    private long[] oneAtATime(List<SupplierUpdate> updates, List<SupplierAck> acks) throws Exception {
        io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            io.grpc.Metadata headers = new io.grpc.Metadata();
            headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + SupplierPushTest.CINEMA);
            var stub = dev.marketops.proto.services.SupplierGatewayGrpc.newStub(channel)
                    .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
            var answers = new java.util.concurrent.LinkedBlockingQueue<SupplierAck>();
            var out = stub.pushUpdates(new io.grpc.stub.StreamObserver<SupplierAck>() {
                @Override
                public void onNext(SupplierAck value) {
                    answers.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    answers.add(SupplierAck.newBuilder().setReasonCode("STREAM_FAILED").setReason(String.valueOf(t)).build());
                }

                @Override
                public void onCompleted() {
                }
            });
            long[] lat = new long[updates.size()];
            for (int i = 0; i < updates.size(); i++) {
                long t0 = System.nanoTime();
                out.onNext(updates.get(i));
                SupplierAck a = answers.poll(30, java.util.concurrent.TimeUnit.SECONDS);
                lat[i] = System.nanoTime() - t0;
                if (a == null) {
                    throw new AssertionError("no ack for message " + i);
                }
                acks.add(a);
            }
            out.onCompleted();
            return lat;
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aThousandRecordPull() throws Exception {
        String code = "BENCH_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        try (PullSimulator sim = new PullSimulator()) {
            for (int i = 0; i < 1000; i++) {
                sim.add(SupplierRecords.hotel(code + "-R" + i, 1, 300 + i % 50, 5));
            }
            Map<String, Object> b = new HashMap<>(SupplierRegistryTest.body(code));
            b.put("endpointUrl", sim.url());
            b.put("pageSize", 500);
            b.put("rateLimitPerSecond", 100);
            b.put("enabled", false);
            SupplierRegistryTest.admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(201);
            long t0 = System.nanoTime();
            SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 0, "enabled", true))
                    .put("/suppliers/" + code).then().statusCode(200);
            SupplierPushTest.await("the pull completes", () -> "W1".equals(RestAssured.given()
                    .header("Authorization", dev.marketops.platform.testing.Tokens.bearer("supplier_admin", 10))
                    .get("/suppliers/" + code).then().extract().jsonPath().getString("syncState.watermark")));
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("BENCH supplier pull: 1,000 hotel records (2 pages of 500) -> 1,000 listing tasks created and submitted "
                    + "in %.2f s%n", secs);
            SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 1, "enabled", false))
                    .put("/suppliers/" + code).then().statusCode(200);
        }
    }
}
