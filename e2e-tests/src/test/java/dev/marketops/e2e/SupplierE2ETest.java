package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierUpdate;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 end to end against the running fleet: supplier systems with their own Keycloak
 * client credentials (supplier-cinema, supplier-hotel clients) push a movie session over gRPC
 * and over Kafka (Debian's kcat as the producer), and a hotel calendar is pulled from a change
 * API on loopback; each becomes a supplier listing that audit fast-tracks and the saga
 * publishes: ONLINE and findable in search through the gateway.
 */
class SupplierE2ETest {

    static final String OP = Logins.bearer("operator", 7);
    static final String ADMIN = Logins.bearer("supplier_admin", 10);
    static final int SUPPLIER_GRPC = Integer.getInteger("e2e.supplier.grpc", 9085);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    @Test
    void aMovieSessionPushedOverGrpcIsOnlineAndFindable() {
        String token = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        SupplierAck ack = push(Logins.serviceToken("supplier-cinema"), List.of(SupplierUpdate.newBuilder().setMessageId("e2e-" + token)
                .setRecordJson(movie("E2E-" + token, 1, "Night " + token)).build())).get(0);
        assertTrue(ack.getAccepted(), ack.toString());
        assertEquals("created", ack.getOutcome());
        long taskId = ack.getTaskId();
        JsonPath task = awaitOnline(taskId);
        assertEquals("supplier_push", task.getString("sourceType"));
        awaitFindable(token);

        // the same message again applies nothing
        SupplierAck again = push(Logins.serviceToken("supplier-cinema"), List.of(SupplierUpdate.newBuilder().setMessageId("e2e-" + token)
                .setRecordJson(movie("E2E-" + token, 1, "Night " + token)).build())).get(0);
        assertEquals("ignored", again.getOutcome());
        // the hotel supplier may not write movie sessions
        SupplierAck foreign = push(Logins.serviceToken("supplier-hotel"), List.of(SupplierUpdate.newBuilder().setMessageId("x")
                .setRecordJson(movie("E2E-" + token, 2, "Night " + token).replaceFirst("\\{", "{\"supplier\": \"CINEMA_ONE\", ")).build())).get(0);
        assertEquals("NOT_YOUR_SUPPLIER", foreign.getReasonCode(), foreign.toString());
    }

    @Test
    void aMovieSessionPublishedWithKcatIsOnlineAndFindable() throws Exception {
        String token = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String msg = "{\"supplier\": \"CINEMA_ONE\", \"messageId\": \"kcat-" + token + "\", \"record\": "
                + movie("KCAT-" + token, 1, "Night " + token).replace("\n", " ") + "}";
        kcat(List.of("-P", "-b", Fleet.KAFKA, "-t", "supplier.movie.updates", "-k", "CINEMA_ONE"), msg);
        Fleet.await("the session has its listing task", () -> Fleet.count("SELECT count(*) FROM supplier.supplier_item "
                + "WHERE supplier_code = 'CINEMA_ONE' AND external_id = ? AND task_id IS NOT NULL", "KCAT-" + token) == 1);
        long taskId = Fleet.count("SELECT task_id FROM supplier.supplier_item WHERE supplier_code = 'CINEMA_ONE' AND external_id = ?",
                "KCAT-" + token);
        awaitOnline(taskId);
        awaitFindable(token);
    }

    @Test
    void aPulledHotelCalendarIsOnlineAndFindable() throws Exception {
        String token = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String code = "E2E_HOTEL_" + token.toUpperCase();
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(3);
        String record = ("{\"externalId\": \"R-%s\", \"version\": 1, \"hotel\": \"Harbour %s\", \"roomType\": \"Deluxe\", "
                + "\"starRating\": \"4-star\", \"guestCapacity\": 2, \"bedType\": \"king\", \"calendar\": ["
                + "{\"date\": \"%s\", \"price\": 399, \"allotment\": 4}, {\"date\": \"%s\", \"price\": 429, \"allotment\": 2}]}")
                .formatted(token, token, d, d.plusDays(1));
        // The supplier's credential is a file of the fleet's secrets directory (a mounted Secret in a cluster); the
        // supplier answers 401 to a pull without it, so an ONLINE room proves the platform sent it
        String secret = "e2e-hotel-" + token;
        java.nio.file.Path secrets = java.nio.file.Path.of(System.getProperty("e2e.supplier-secrets", "../.local/supplier-secrets"));
        java.nio.file.Files.createDirectories(secrets);
        java.nio.file.Files.writeString(secrets.resolve(secret), "tok-" + token);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/changes", ex -> {
            if (!("Bearer tok-" + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            String q = String.valueOf(ex.getRequestURI().getQuery());
            byte[] body = (q.contains("since=W1") ? "{\"records\": [], \"nextCursor\": null, \"watermark\": \"W1\"}"
                    : "{\"records\": [" + record + "], \"nextCursor\": null, \"watermark\": \"W1\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            Map<String, Object> b = new HashMap<>();
            b.put("supplierCode", code);
            b.put("supplierName", "E2E hotels " + token);
            b.put("categoryCode", "HOTEL");
            b.put("categoryIds", List.of(2100));
            b.put("syncMode", "pull");
            b.put("adapter", "hotel");
            b.put("endpointUrl", "http://127.0.0.1:" + server.getAddress().getPort() + "/changes");
            b.put("pullIntervalSeconds", 3600);
            b.put("credentialRef", "secret:" + secret);
            given().header("Authorization", ADMIN).contentType("application/json").body(b).post("/api/supplier/suppliers")
                    .then().statusCode(201);
            given().header("Authorization", ADMIN).post("/api/supplier/suppliers/" + code + "/pull").then().statusCode(202);
            Fleet.await("the room has its listing task", () -> Fleet.count("SELECT count(*) FROM supplier.supplier_item "
                    + "WHERE supplier_code = ? AND task_id IS NOT NULL", code) == 1);
            long taskId = Fleet.count("SELECT task_id FROM supplier.supplier_item WHERE supplier_code = ?", code);
            JsonPath task = awaitOnline(taskId);
            assertEquals("supplier_pull", task.getString("sourceType"));
            awaitFindable(token);
            JsonPath state = given().header("Authorization", ADMIN).get("/api/supplier/suppliers/" + code).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("W1", state.getString("syncState.watermark"));
            given().header("Authorization", ADMIN).contentType("application/json")
                    .body(Map.of("version", state.getLong("version"), "enabled", false))
                    .put("/api/supplier/suppliers/" + code).then().statusCode(200);
        } finally {
            server.stop(0);
        }
    }

    static JsonPath awaitOnline(long taskId) {
        Fleet.await("task " + taskId + " is ONLINE", () -> "ONLINE".equals(given().header("Authorization", OP)
                .get("/api/listing/listings/" + taskId).then().extract().jsonPath().getString("statusName")));
        return given().header("Authorization", OP).get("/api/listing/listings/" + taskId).then().statusCode(200).extract().jsonPath();
    }

    static void awaitFindable(String token) {
        Fleet.await(token + " is findable in search", () -> given().header("Authorization", OP).queryParam("q", token)
                .queryParam("status", "online").get("/api/search/search/items").then().extract().jsonPath().getLong("total") >= 1);
    }

    static String movie(String externalId, long version, String movie) {
        String show = OffsetDateTime.now(ZoneOffset.UTC).plusDays(4).truncatedTo(ChronoUnit.HOURS).toInstant().toString();
        return ("{\"externalId\": \"%s\", \"version\": %d, \"updatedAt\": \"%s\", \"cinema\": \"Harbour Cinema\", \"hall\": \"Hall 2\", "
                + "\"movie\": \"%s\", \"seatArea\": \"Stalls\", \"ticketType\": \"3D\", \"showTime\": \"%s\", \"price\": 42.5, "
                + "\"seats\": [\"C1\", \"C2\", \"C3\"], \"status\": \"scheduled\"}")
                .formatted(externalId, version, OffsetDateTime.now(ZoneOffset.UTC), movie, show);
    }

    /** A supplier system's stream: its own token, a plain channel, every ack collected. */
    static List<SupplierAck> push(String token, List<SupplierUpdate> updates) {
        return SupplierStreams.push(SUPPLIER_GRPC, token, updates, Duration.ofSeconds(120));
    }

    static void kcat(List<String> args, String line) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kcat"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kcat failed: " + out);
        }
    }
}
