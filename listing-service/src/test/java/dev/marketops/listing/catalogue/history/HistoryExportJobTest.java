package dev.marketops.listing.catalogue.history;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.listing.catalogue.CatalogueFixtures;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * History exported as a background job: requested, polled, downloaded (from the database, whichever replica wrote it); scoped
 * to its requester; resumed after a dead runner; purged with its file after the retention.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class HistoryExportJobTest {

    @Inject
    AgroalDataSource ds;
    @Inject
    HistoryExportJobs jobs;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    CatalogueFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
    }

    private static RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer).contentType("application/json");
    }

    /** A deal published and then repriced twice: versions 1..3. */
    private long repricedDeal(long shop) {
        long id = fx.publish(fx.approved(SampleListings.DEAL, shop, 1)).get(0);
        for (int price : new int[] {7000, 6500}) {
            HistoryFixtures.as(61, Roles.OPERATOR, null, null, null, () -> catalog.adjustPrices(AdjustPricesRequest.newBuilder()
                    .addChanges(PriceChange.newBuilder().setItemId(id).setMode("set").setValue(price)).build()));
        }
        return id;
    }

    private static JsonPath awaitDone(String bearer, String jobId) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            JsonPath j = as(bearer).get("/history/exports/" + jobId).then().statusCode(200).extract().jsonPath();
            if ("DONE".equals(j.getString("status")) || "FAILED".equals(j.getString("status"))) {
                return j;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("export " + jobId + " did not finish within a minute");
    }

    @Test
    void aRequestedExportRunsInTheBackgroundAndDownloadsAsXlsxForItsRequesterOnly() throws Exception {
        long shop = HistoryFixtures.newShopId();
        long id = repricedDeal(shop);
        String operator = Tokens.bearer("operator", 4242);

        io.restassured.response.Response r = as(operator).body(Map.of("productId", String.valueOf(id))).post("/history/exports")
                .then().statusCode(202).extract().response();
        JsonPath accepted = r.jsonPath();
        String jobId = accepted.getString("jobId");
        assertEquals("history/exports/" + jobId, r.header("Location"));
        assertNotNull(jobId);
        assertEquals(String.valueOf(id), accepted.getString("filter.productId"));

        JsonPath done = awaitDone(operator, jobId);
        assertEquals("DONE", done.getString("status"), done.prettify());
        assertEquals(3, done.getLong("rowsWritten"));
        assertEquals("history/exports/" + jobId + "/file", done.getString("fileUrl"));

        byte[] xlsx = as(operator).get("/history/exports/" + jobId + "/file").then().statusCode(200).extract().asByteArray();
        List<Row> rows;
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            rows = wb.getFirstSheet().read();
        }
        assertEquals(4, rows.size(), "header and three versions");
        assertEquals(String.valueOf(id), rows.get(1).getCellText(0));
        assertEquals(CellType.STRING, rows.get(1).getCell(0).getType(), "ids are text cells");
        assertEquals("3", rows.get(1).getCellText(1), "newest first");

        // another operator neither sees the job nor downloads its file; an admin sees it; merchants and auditors
        // (no export permission) are refused
        as(Tokens.bearer("operator", 4243)).get("/history/exports/" + jobId).then().statusCode(404);
        as(Tokens.bearer("operator", 4243)).get("/history/exports/" + jobId + "/file").then().statusCode(404);
        as(Tokens.bearer("admin", 1)).get("/history/exports/" + jobId).then().statusCode(200);
        as(Tokens.merchantBearer(5, shop + 1)).body(Map.of("productId", String.valueOf(id))).post("/history/exports").then().statusCode(403);
        as(Tokens.bearer("auditor", 3)).body(Map.of()).post("/history/exports").then().statusCode(403);
        as(operator).body(Map.of("changeType", "NOPE")).post("/history/exports").then().statusCode(400);
    }

    @Test
    void aJobWhoseRunnerDiedIsClaimedAgainAndFinished() throws Exception {
        long id = repricedDeal(HistoryFixtures.newShopId());
        String operator = Tokens.bearer("operator", 4244);
        String jobId = as(operator).body(Map.of("productId", String.valueOf(id))).post("/history/exports").then().statusCode(202)
                .extract().jsonPath().getString("jobId");
        awaitDone(operator, jobId);
        // as if a replica had claimed it again and died mid-file: RUNNING, silent for ten minutes
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE history_export_job SET status = 'RUNNING', heartbeat_at = now() - interval '10 minutes', finished_at = NULL
                WHERE id = ?""")) {
            ps.setLong(1, Long.parseLong(jobId));
            assertEquals(1, ps.executeUpdate());
        }
        JsonPath done = awaitDone(operator, jobId);
        assertEquals("DONE", done.getString("status"));
        assertEquals(2, done.getInt("attempts"), "written again by the replica that found it silent");
        assertEquals(3, done.getLong("rowsWritten"));
        as(operator).get("/history/exports/" + jobId + "/file").then().statusCode(200);
        assertTrue(jobs.mine(new dev.marketops.platform.security.Actor(4244, Roles.OPERATOR, java.util.Set.of(Roles.OPERATOR), null, null, null),
                5).stream().anyMatch(j -> j.jobId().equals(jobId)));
    }

    @Test
    void aFinishedFileIsServedFromTheDatabaseOnceTheRunnersTemporaryFileIsGone() throws Exception {
        // given a finished export
        long id = repricedDeal(HistoryFixtures.newShopId());
        String operator = Tokens.bearer("operator", 4245);
        String jobId = as(operator).body(Map.of("productId", String.valueOf(id))).post("/history/exports").then().statusCode(202)
                .extract().jsonPath().getString("jobId");
        assertEquals("DONE", awaitDone(operator, jobId).getString("status"));

        // then the runner left nothing on its disk: the file is a row of history_export_file
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(List.of(), tmp.filter(f -> f.getFileName().toString().startsWith("history-export-" + jobId + "-")).toList());
        }
        byte[] stored;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT content, bytes FROM history_export_file WHERE job_id = ?")) {
            ps.setLong(1, Long.parseLong(jobId));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the file is stored with its job");
                stored = rs.getBytes(1);
                assertEquals(stored.length, rs.getLong(2));
            }
        }

        // and the download is exactly that row, a workbook of the three versions
        io.restassured.response.Response file = as(operator).get("/history/exports/" + jobId + "/file");
        assertEquals(200, file.statusCode(), file.asString());
        assertEquals(Long.toString(stored.length), file.header("Content-Length"));
        assertArrayEquals(stored, file.asByteArray());
        List<Row> rows = sheet(stored);
        assertEquals(4, rows.size(), "header and three versions");
        assertEquals(List.of(String.valueOf(id)), rows.subList(1, 4).stream().map(r -> r.getCellText(0)).distinct().toList());
        assertEquals(List.of("3", "2", "1"), rows.subList(1, 4).stream().map(r -> r.getCellText(1)).toList(), "newest first");
    }

    @Test
    void thePurgeDeletesFinishedJobsPastTheRetentionAndKeepsRecentAndRunningOnes() throws Exception {
        // given two finished exports, one finished eight days ago (the retention is seven) and one six days ago
        long id = repricedDeal(HistoryFixtures.newShopId());
        String operator = Tokens.bearer("operator", 4246);
        Map<String, String> body = Map.of("productId", String.valueOf(id));
        String expired = as(operator).body(body).post("/history/exports").then().statusCode(202).extract().jsonPath().getString("jobId");
        String recent = as(operator).body(body).post("/history/exports").then().statusCode(202).extract().jsonPath().getString("jobId");
        awaitDone(operator, expired);
        awaitDone(operator, recent);
        ageBy(expired, "8 days");
        ageBy(recent, "6 days");
        // and a job that failed eight days ago, and one requested eight days ago that is still running
        long expiredFailed = Long.parseLong(expired) + 1_000_000;
        long running = Long.parseLong(expired) + 1_000_001;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO history_export_job (id, requested_by, requester, filter, status, error, created_at, started_at, heartbeat_at, finished_at)
                VALUES (?, 4246, ?::jsonb, '{}', 'FAILED', 'boom', now() - interval '8 days', now() - interval '8 days', NULL, now() - interval '8 days'),
                       (?, 4246, ?::jsonb, '{}', 'RUNNING', NULL, now() - interval '8 days', now(), now(), NULL)""")) {
            String requester = "{\"userId\": \"4246\", \"type\": \"operator\", \"roles\": [\"operator\"]}";
            ps.setLong(1, expiredFailed);
            ps.setString(2, requester);
            ps.setLong(3, running);
            ps.setString(4, requester);
            ps.executeUpdate();
        }
        try {
            // when the purge runs
            assertTrue(jobs.purgeExpired() >= 2);

            // then the expired jobs and their file are gone, and their download is not found
            assertEquals(0, count("SELECT count(*) FROM history_export_job WHERE id IN (?, ?)", Long.parseLong(expired), expiredFailed));
            assertEquals(0, count("SELECT count(*) FROM history_export_file WHERE job_id = ?", Long.parseLong(expired)));
            as(operator).get("/history/exports/" + expired).then().statusCode(404).body("code", equalTo("EXPORT_NOT_FOUND"));
            as(operator).get("/history/exports/" + expired + "/file").then().statusCode(404);
            // and the recent one still downloads, the running one is left to its runner
            byte[] xlsx = as(operator).get("/history/exports/" + recent + "/file").then().statusCode(200).extract().asByteArray();
            List<Row> rows = sheet(xlsx);
            assertEquals(4, rows.size(), "header and three versions");
            assertEquals(String.valueOf(id), rows.get(1).getCellText(0));
            as(operator).get("/history/exports/" + running).then().statusCode(200).body("status", equalTo("RUNNING"));
        } finally {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM history_export_job WHERE id = ?")) {
                ps.setLong(1, running);
                ps.executeUpdate();
            }
        }
    }

    private static List<Row> sheet(byte[] xlsx) throws IOException {
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            return wb.getFirstSheet().read();
        }
    }

    private void ageBy(String jobId, String age) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE history_export_job SET created_at = now() - ?::interval, finished_at = now() - ?::interval WHERE id = ?")) {
            ps.setString(1, age);
            ps.setString(2, age);
            ps.setLong(3, Long.parseLong(jobId));
            assertEquals(1, ps.executeUpdate());
        }
    }

    private long count(String sql, long... ids) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < ids.length; k++) {
                ps.setLong(k + 1, ids[k]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
