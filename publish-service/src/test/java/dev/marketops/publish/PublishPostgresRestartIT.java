package dev.marketops.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.PrivateKafka;
import dev.marketops.platform.testing.PrivatePostgres;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.ServiceProcess;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.publish.support.Listings;
import dev.marketops.publish.support.PublishedEvents;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: PostgreSQL restarts (a fast shutdown that cuts every session, then a start, what
 * {@code pg_ctlcluster ... restart} does) in the middle of a publish burst of 1,000 approved
 * listings. listing-service (the catalogue) and publish-service run from their jars on a database
 * server and a Kafka broker of this test's own, so the restart touches nobody else and no event of
 * another test reaches them; config-service answers lookups from the shared servers. Every saga then completes exactly once: each task ONLINE with one item, one
 * listing.published per task, and no saga failed for the outage.
 */
class PublishPostgresRestartIT {

    static final int TASKS = 1_000;

    static PrivatePostgres postgres;
    static PrivateKafka kafka;
    static Map<String, String> infra;
    static ListingFleetTestResource fleet;
    static Map<String, String> fleetProps;
    static ManagedChannel channel;
    static Listings listings;

    @BeforeAll
    static void startFleet() {
        postgres = new PrivatePostgres();
        postgres.start();
        kafka = new PrivateKafka();
        kafka.start();
        kafka.createTopics(PublishedEvents.TOPIC);
        infra = Map.of("marketops.db.port", Integer.toString(postgres.port()), "marketops.kafka", kafka.bootstrap(),
                "kafka.bootstrap.servers", kafka.bootstrap());
        fleet = new ListingFleetTestResource(infra);
        fleetProps = fleet.start();
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + Tokens.serviceToken());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(fleetProps.get("quarkus.grpc.clients.listing.port")))
                .usePlaintext().intercept(MetadataUtils.newAttachHeadersInterceptor(auth)).build();
        listings = new Listings(ListingCommandsGrpc.newBlockingStub(channel), ListingQueriesGrpc.newBlockingStub(channel));
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (fleet != null) {
            fleet.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aPostgresRestartInTheMiddleOfAPublishBurstLeavesEverySagaCompletedOnce() throws Exception {
        Map<String, String> props = new HashMap<>(infra);
        for (String k : List.of("quarkus.grpc.clients.listing.port", "quarkus.grpc.clients.config.port")) {
            props.put(k, fleetProps.get(k));
        }
        props.put("quarkus.grpc.server.port", String.valueOf(ServiceProcess.freePort()));
        props.put("marketops.publish.lease", "5s");
        props.put("marketops.publish.recovery-every", "1s");
        try (PublishedEvents published = new PublishedEvents(kafka.bootstrap());
             ServiceProcess publish = ServiceProcess.start("publish-service", ServiceProcess.freePort(), props)) {
            // given 1,000 approved listings of one batch, their sagas under way
            long batchId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
            List<Long> ids = listings.submittedBatch(batchId, SampleListings.DEAL, TASKS);
            assertEquals(TASKS, listings.approveBatch(batchId, ids).getSucceeded());
            // under way: listing-service has made items (a group's steps are recorded together after its combined call)
            Listings.await("the burst's sagas are under way", 120_000, () -> stepsDone(ids) > 0
                    || querySingleLong("SELECT count(*) FROM listing.item WHERE task_id = ANY(?)", ids) > 0);

            // when PostgreSQL restarts before they are all through
            long atRestart = completed(ids);
            postgres.restart();
            assertTrue(atRestart < TASKS, "the burst was through before the restart (" + atRestart + " completed)");

            // then every saga completes, none failed, and the service is still up
            Listings.await("all sagas complete after the restart", 240_000, () -> completed(ids) == TASKS);
            assertEquals(0, querySingleLong("SELECT count(*) FROM publish.publish_saga WHERE task_id = ANY(?) AND status <> 'completed'",
                    ids), "sagas not completed");
            assertTrue(publish.isAlive(), "publish-service outlived the restart");

            // exactly once: each task ONLINE with one item, one listing.published per task
            Set<Long> taskIds = new HashSet<>(ids);
            assertEquals(TASKS, listings.countInStatus(ids, Listings.ONLINE), "every task is ONLINE");
            assertEquals(TASKS, querySingleLong("SELECT count(*) FROM listing.item WHERE task_id = ANY(?)", ids), "items");
            assertEquals(TASKS, querySingleLong("SELECT count(DISTINCT task_id) FROM listing.item WHERE task_id = ANY(?)", ids));
            Listings.await("listing.published for every task", 60_000, () -> published.poll().countAll(taskIds) == TASKS);
            published.settle(Duration.ofSeconds(2));
            assertEquals(TASKS, published.totalFor(taskIds), "exactly one listing.published per task");
        }
    }

    private static long stepsDone(List<Long> ids) {
        return querySingleLong("SELECT coalesce(sum(completed_steps), 0) FROM publish.publish_saga WHERE task_id = ANY(?)", ids);
    }

    private static long completed(List<Long> ids) {
        return querySingleLong("SELECT count(*) FROM publish.publish_saga WHERE task_id = ANY(?) AND status = 'completed'", ids);
    }

    /** Test-only reads of the services' tables on the private server; -1 while it is restarting. */
    private static long querySingleLong(String sql, List<Long> ids) {
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + PrivatePostgres.DATABASE;
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
