package dev.marketops.batch;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.PrivateKafka;
import dev.marketops.platform.testing.PrivatePostgres;
import dev.marketops.platform.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The catalogue fleet on infrastructure of the test's own, for fault tests that stop the broker
 * or restart the database: a private PostgreSQL and a private Kafka broker, listing-service (the
 * catalogue) and this service both pointed at them. config-service answers lookups only and
 * stays on the shared servers. Private servers also keep other test runs on the shared ones away:
 * their outbox publishers and batch routers would otherwise take this test's events.
 */
public class PrivateInfraFleet implements QuarkusTestResourceLifecycleManager {

    static volatile PrivateInfraFleet current;

    final PrivatePostgres postgres = new PrivatePostgres();
    final PrivateKafka kafka = new PrivateKafka();
    private final ConfigServiceTestResource config = new ConfigServiceTestResource();
    private ServiceProcess listing;
    private int listingGrpc;
    private int listingHttp;
    private Map<String, String> listingProps;

    @Override
    public Map<String, String> start() {
        try {
            postgres.start();
            kafka.start();
            Map<String, String> infra = Map.of("marketops.db.port", Integer.toString(postgres.port()),
                    "marketops.kafka", kafka.bootstrap(), "kafka.bootstrap.servers", kafka.bootstrap());
            Map<String, String> configPorts = config.start();
            String configPort = configPorts.get("quarkus.grpc.clients.config.port");
            listingHttp = ServiceProcess.freePort();
            listingGrpc = ServiceProcess.freePort();
            listingProps = new HashMap<>(infra);
            listingProps.putAll(Map.of(
                    "quarkus.grpc.server.port", String.valueOf(listingGrpc),
                    "quarkus.grpc.server.test-port", String.valueOf(listingGrpc),
                    "quarkus.http.test-port", String.valueOf(listingHttp),
                    "quarkus.grpc.clients.config.port", configPort,
                    "quarkus.grpc.clients.config.test-port", configPort,
                    // platform's default since issue 12; a listing jar built before it lacks it
                    "quarkus.datasource.jdbc.validate-on-borrow", "true"));
            listing = ServiceProcess.start("listing-service", listingHttp, listingProps);
            Map<String, String> out = new HashMap<>(configPorts);
            out.putAll(infra);
            out.put("quarkus.grpc.clients.listing.port", String.valueOf(listingGrpc));
            out.put("quarkus.grpc.clients.listing.test-port", String.valueOf(listingGrpc));
            out.put("marketops.test.listing-url", "http://127.0.0.1:" + listingHttp);
            // Chunks of 250 with a pause between them, so that a fault lands in the middle of a batch;
            // outages of the catalogue (it loses its database for a moment) are waited out, not failed.
            out.put("marketops.batch.max-chunk-size", "250");
            out.put("marketops.batch.test-chunk-pause", "PT0.3S");
            out.put("marketops.batch.outage.budget", "3m");
            out.put("marketops.batch.outage.max-backoff", "3s");
            out.put("marketops.batch.lease-seconds", "60");
            current = this;
            return out;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** kill -9 of listing-service: it gets no chance to finish anything. */
    void killListing() {
        listing.kill();
    }

    /** listing-service again, on the same ports (a restarted pod behind its Service). */
    void restartListing() {
        listing = ServiceProcess.start("listing-service", listingHttp, listingProps);
    }

    @Override
    public void stop() {
        if (listing != null) {
            listing.close();
        }
        config.stop();
        kafka.close();
        postgres.close();
    }
}
