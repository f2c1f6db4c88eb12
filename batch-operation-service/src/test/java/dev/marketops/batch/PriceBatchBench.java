package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A 10,000-row price batch end to end against the module's test fleet (real listing-service and
 * config-service): upload of an .xlsx through REST, until the batch is finished and its result
 * file downloaded. Prints each round's figures (the first is a warm-up); no timed assertions.
 * {@code mvn -B -o -pl batch-operation-service test -Dtest=PriceBatchBench -Dbatch.bench=true}
 * ({@code -Dbatch.bench.rows=}, {@code -Dbatch.bench.rounds=}; {@code -Dbatch.bench.items=<file>} keeps the
 * items' ids in that file and takes them again on the next run, whose rounds then start at once). The stage breakdown of each batch is
 * the service's "batch ... finished" log line and the {@code marketops_batch_stage_seconds} timers.
 */
@QuarkusTest
@QuarkusTestResource(value = CatalogueFleet.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "batch.bench", matches = "true")
class PriceBatchBench {

    static final int ROWS = Integer.getInteger("batch.bench.rows", 10_000);
    static final int ROUNDS = Integer.getInteger("batch.bench.rounds", 4);

    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalogStub;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listingStub;
    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset")
    String listingUrl;

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);

    @Test
    void tenThousandPricesFromUploadToResultFile() throws java.io.IOException {
        // given ROWS online top-ups (sale 49.50, face value 50), made 1,000 at a time (or those of an earlier run)
        long t = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        String reuse = System.getProperty("batch.bench.items");
        if (reuse != null && Files.exists(Path.of(reuse))) {
            Files.readAllLines(Path.of(reuse)).stream().filter(l -> !l.isBlank()).limit(ROWS).map(Long::parseLong).forEach(ids::add);
        }
        while (ids.size() < ROWS) {
            Deadline d = Deadline.after(300, TimeUnit.SECONDS);
            CatalogueItems items = new CatalogueItems(listingUrl, listingStub.withDeadline(d), catalogStub.withDeadline(d));
            ids.addAll(items.online(SampleListings.TOPUP, Math.min(1000, ROWS - ids.size())));
        }
        System.out.printf("%n[price bench] %d items online in %.1f s%n", ids.size(), (System.nanoTime() - t) / 1e9);
        if (reuse != null) {
            Files.write(Path.of(reuse), ids.stream().map(String::valueOf).toList());
        }

        List<String> report = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // when a sheet takes every price down 0.10 (odd rounds: back up), so each round changes every row
            String value = round % 2 == 0 ? "-0.1" : "0.1";
            Object[][] rows = new Object[ids.size() + 1][];
            rows[0] = new Object[]{"item_id", "mode", "value"};
            for (int i = 0; i < ids.size(); i++) {
                rows[i + 1] = new Object[]{String.valueOf(ids.get(i)), "add", value};
            }
            byte[] sheet = Sheets.xlsx(rows);

            long t0 = System.nanoTime();
            JsonPath up = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("file", "prices.xlsx", sheet)
                    .multiPart("operationType", "price_adjust").multiPart("force", "true").post("/batches").then()
                    .statusCode(201).extract().jsonPath();
            long uploaded = System.nanoTime();
            long id = up.getLong("batch.batchId");
            JsonPath b;
            do {
                sleep(20);
                b = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id).then()
                        .statusCode(200).extract().jsonPath();
            } while (!List.of("completed", "partial_success", "failed", "cancelled").contains(b.getString("status")));
            long finished = System.nanoTime();
            byte[] result = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id + "/result.xlsx")
                    .then().statusCode(200).extract().asByteArray();
            long done = System.nanoTime();

            // then every row succeeded (figures printed, not asserted)
            assertEquals("completed", b.getString("status"), b.prettify());
            assertEquals(ids.size(), b.getInt("successCount"));
            String line = String.format("round %d: %d rows  total %.2f s  (upload reply %.2f s, to finished %.2f s, result file %.2f s, %d KB)",
                    round, ids.size(), (done - t0) / 1e9, (uploaded - t0) / 1e9, (finished - uploaded) / 1e9,
                    (done - finished) / 1e9, result.length / 1024);
            System.out.println("[price bench] " + line);
            report.add(line);
        }
        System.out.println("\n==== price batch bench (first round = warm-up) ====\n" + String.join("\n", report) + "\n");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
