package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.Scrape;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the running fleet's /q/metrics (each service's management port, 7000 + the last digits of
 * its HTTP port) shows every Prometheus name of main seed 8.2 with the seed's labels, after one
 * operator listing went online through audit and the publish saga (so the per-category series exist
 * however the other suites ran). Series registered at startup (batch, queues, saga steps, outbox
 * success rate) need no event; the supplier gauges come with the monitor's first run, 5 s after start.
 */
class MetricsE2ETest {

    static final String OP = Logins.bearer("operator", 7);
    static final int LISTING = 7081;
    static final int AUDIT = 7082;
    static final int PUBLISH = 7083;
    static final int BATCH = 7084;
    static final int SUPPLIER = 7085;
    static final int MAINTENANCE = 7087;

    /** name -> the labels the seed gives it, and the service that exposes it. */
    static final List<Object[]> SEED = List.of(
            new Object[] {"listing_task_total", LISTING, Set.of("category", "type", "status")},
            new Object[] {"listing_task_duration_seconds_count", LISTING, Set.of("category", "stage")},
            new Object[] {"listing_worker_queue_size", LISTING, Set.of("worker")},
            new Object[] {"listing_audit_strategy_total", AUDIT, Set.of("source_type", "audit_strategy", "category")},
            new Object[] {"saga_execution_total", PUBLISH, Set.of("category", "status")},
            new Object[] {"saga_step_duration_seconds_count", PUBLISH, Set.of("step_name")},
            new Object[] {"saga_compensation_total", PUBLISH, Set.of("step_name")},
            new Object[] {"operation_batch_task_total", BATCH, Set.of("operation_type", "status")},
            new Object[] {"operation_batch_task_duration_seconds_count", BATCH, Set.of("operation_type")},
            new Object[] {"operation_batch_item_total", BATCH, Set.of("operation_type", "status")},
            new Object[] {"operation_batch_item_processing_rate", BATCH, Set.of("operation_type")},
            new Object[] {"operation_worker_queue_size", BATCH, Set.of("worker")},
            new Object[] {"listing_supplier_sync_lag_seconds", SUPPLIER, Set.of("category", "supplier_id", "mode")},
            new Object[] {"listing_supplier_sync_success_rate", SUPPLIER, Set.of("category", "supplier_id")},
            new Object[] {"outbox_pending_count", LISTING, Set.of("event_type")},
            new Object[] {"outbox_publish_success_rate", LISTING, Set.of()},
            new Object[] {"kafka_consumer_group_lag", MAINTENANCE, Set.of("group", "topic")});

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    static Scrape scrape(int port) {
        return Scrape.parse(given().get("http://127.0.0.1:" + port + "/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void everySeedMetricIsScrapedWithItsLabels() {
        String token = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        long taskId = given().header("Authorization", OP).contentType("application/json").body(Map.of("categoryId", 4100, "title", "Top-up " + token,
                        "sourceType", "operator_form", "sourceUserType", "operator", "shopId", 1001,
                        "itemData", Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5)))
                .post("/api/listing/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
        given().header("Authorization", OP).contentType("application/json").body(Map.of("expectedVersion", 0))
                .post("/api/listing/listings/" + taskId + "/actions/submit").then().statusCode(200);
        Fleet.await("task " + taskId + " is ONLINE", () -> "ONLINE".equals(given().header("Authorization", OP)
                .get("/api/listing/listings/" + taskId).jsonPath().getString("statusName")));

        // the listing's own series (the saga's are counted off its runner thread, the lag every 30 s)
        Fleet.await("the top-up listing is counted", () -> scrape(LISTING).sum("listing_task_total",
                "category", "topup", "type", "single", "status", "success") >= 1);
        Scrape listing = scrape(LISTING);
        assertTrue(listing.sum("listing_task_duration_seconds_count", "category", "topup", "stage", "audit") >= 1, "audit stage timed");
        assertTrue(listing.sum("listing_task_duration_seconds_count", "category", "topup", "stage", "publish") >= 1, "publish stage timed");
        assertTrue(listing.find("listing_worker_queue_size", "worker", "audit").size() == 1, "audit queue");
        assertTrue(listing.find("listing_worker_queue_size", "worker", "publish").size() == 1, "publish queue");
        assertTrue(scrape(AUDIT).sum("listing_audit_strategy_total", "source_type", "operator_form", "category", "topup") >= 1,
                "the audit decision is counted by strategy");
        Fleet.await("the saga is counted", () -> scrape(PUBLISH).sum("saga_execution_total", "category", "topup", "status", "success") >= 1);
        assertTrue(scrape(BATCH).find("listing_worker_queue_size", "worker", "parse").size() == 1, "parse queue");
        Fleet.await("the consumer lag is read", () -> !scrape(MAINTENANCE).find("kafka_consumer_group_lag", "group", "publish-worker").isEmpty());
        Fleet.await("the supplier monitor ran", () -> !scrape(SUPPLIER).find("listing_supplier_sync_lag_seconds").isEmpty());

        List<String> problems = new java.util.ArrayList<>();
        for (Object[] seed : SEED) {
            String name = (String) seed[0];
            Scrape s = scrape((Integer) seed[1]);
            @SuppressWarnings("unchecked")
            Set<String> want = (Set<String>) seed[2];
            Set<String> have = s.labelNames(name);
            if (s.find(name).isEmpty()) {
                problems.add(name + " is not scraped on :" + seed[1]);
            } else if (!have.containsAll(want)) {
                Set<String> missing = new TreeSet<>(want);
                missing.removeAll(have);
                problems.add(name + " on :" + seed[1] + " lacks the labels " + missing + " (has " + have + ")");
            }
        }
        // every service with an outbox reports its relay's success rate, labelled with the service
        for (int port : new int[] {LISTING, AUDIT, PUBLISH, BATCH, SUPPLIER}) {
            if (scrape(port).find("outbox_publish_success_rate").stream().noneMatch(x -> x.labels().containsKey("service"))) {
                problems.add("outbox_publish_success_rate{service} is not scraped on :" + port);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
