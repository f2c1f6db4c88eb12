package dev.marketops.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.services.SupplierAck;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Push over gRPC: a supplier system with its own token streams movie sessions and gets one ack
 * per message; new sessions become supplier_push listing tasks created as the supplier, known
 * ones catalogue commands; duplicates, older versions, malformed records, foreign categories and
 * other suppliers' records are refused or ignored with their reason.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class SupplierPushTest {

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    AgroalDataSource ds;

    static final String CINEMA = SupplierClients.supplierToken("CINEMA_ONE", 910001);

    @Test
    void aNewSessionBecomesASupplierListingAndUpdatesReachTheCatalogueOnceInOrder() {
        String ext = "S-" + UUID.randomUUID();
        // a new session: a listing task from supplier_push, created and submitted as the supplier
        SupplierClients.Pushed first = SupplierClients.push(grpcPort, CINEMA, List.of(
                SupplierClients.update("m1", SupplierRecords.movie(ext, 1, 45.0, 4, "scheduled"))));
        SupplierAck created = first.ack(0);
        assertTrue(created.getAccepted(), created.toString());
        assertEquals("created", created.getOutcome());
        ListingTaskReply task = listing.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS).getTask(GetTaskRequest.newBuilder().setTaskId(created.getTaskId()).build());
        assertEquals("supplier_push", task.getSourceType());
        assertEquals("system", task.getSourceUserType());
        assertEquals("PENDING_AUDIT", task.getStatusName());
        assertTrue(task.getItemDataJson().contains("Harbour Cinema"), task.getItemDataJson());

        // the same message again, and an older version: ignored, no second task
        SupplierClients.Pushed again = SupplierClients.push(grpcPort, CINEMA, List.of(
                SupplierClients.update("m1", SupplierRecords.movie(ext, 1, 45.0, 4, "scheduled")),
                SupplierClients.update("m0", SupplierRecords.movie(ext, 0, 99.0, 9, "scheduled"))));
        assertEquals("ignored", again.ack(0).getOutcome());
        assertEquals("ignored", again.ack(1).getOutcome());
        assertTrue(again.ack(1).getAccepted());

        // an update while the listing is not online yet is kept ...
        SupplierAck kept = SupplierClients.push(grpcPort, CINEMA, List.of(
                SupplierClients.update("m2", SupplierRecords.movie(ext, 2, 50.0, 3, "scheduled")))).ack(0);
        assertEquals("pending", kept.getOutcome(), kept.toString());

        // ... and applied once it is online (audit + saga played by the test)
        Publisher p = new Publisher(listing, catalog);
        long item = p.publish(List.of(created.getTaskId())).get(0);
        // price and stock of the kept update land together: the await needs both
        await("the kept update is applied", () -> {
            ItemSnapshot now = p.item(item);
            return now.getSkus(0).getStock() == 3 && now.getSkus(0).getCalendar(0).getPriceCents() == 5000;
        });
        ItemSnapshot snap = p.item(item);
        assertEquals(5000, snap.getSkus(0).getCalendar(0).getPriceCents(), snap.toString());
        assertEquals("online", snap.getStatus());

        // out of order in one stream: version 4 then 3; 4 wins, 3 is ignored
        SupplierClients.Pushed ooo = SupplierClients.push(grpcPort, CINEMA, List.of(
                SupplierClients.update("m4", SupplierRecords.movie(ext, 4, 52.5, 2, "scheduled")),
                SupplierClients.update("m3", SupplierRecords.movie(ext, 3, 10.0, 1, "scheduled"))));
        assertEquals("updated", ooo.ack(0).getOutcome(), ooo.acks().toString());
        assertEquals(item, ooo.ack(0).getItemId());
        assertEquals("ignored", ooo.ack(1).getOutcome());
        snap = p.item(item);
        assertEquals(5250, snap.getSkus(0).getCalendar(0).getPriceCents());
        assertEquals(2, snap.getSkus(0).getStock());

        // a cancelled session goes offline
        SupplierAck cancelled = SupplierClients.push(grpcPort, CINEMA, List.of(
                SupplierClients.update("m5", SupplierRecords.movie(ext, 5, 52.5, 2, "cancelled")))).ack(0);
        assertEquals("updated", cancelled.getOutcome(), cancelled.toString());
        assertEquals("offline", p.item(item).getStatus());
        assertEquals("offline", itemStatus("CINEMA_ONE", ext));
    }

    @Test
    void badRecordsAreRejectedWithTheirReasonAndDoNotStopTheStream() {
        String ok = "S-" + UUID.randomUUID();
        String past = SupplierRecords.movie("S-past", 1, 45, 2, "scheduled").replace(SupplierRecords.SHOW, "2020-01-01T10:00:00Z");
        SupplierClients.Pushed r = SupplierClients.push(grpcPort, CINEMA, List.of(
                SupplierClients.update("bad-json", "{not json"),
                SupplierClients.update("no-price", SupplierRecords.movie("S-np", 1, 45, 2, "scheduled").replace("\"price\": 45.0,", "")),
                SupplierClients.update("hotel-cat", SupplierRecords.movie("S-cat", 1, 45, 2, "scheduled").replaceFirst("\\{", "{\"categoryId\": 2100, ")),
                SupplierClients.update("unknown-cat", SupplierRecords.movie("S-uc", 1, 45, 2, "scheduled").replaceFirst("\\{", "{\"categoryId\": 987654, ")),
                SupplierClients.update("foreign", SupplierRecords.movie("S-f", 1, 45, 2, "scheduled").replaceFirst("\\{", "{\"supplier\": \"HOTEL_ONE\", ")),
                SupplierClients.update("past", past),
                SupplierClients.update("ok", SupplierRecords.movie(ok, 1, 45, 2, "scheduled"))));
        List<String> codes = r.acks().stream().map(SupplierAck::getReasonCode).toList();
        assertEquals(List.of("MALFORMED", "MISSING_FIELD", "CATEGORY_NOT_ALLOWED", "UNKNOWN_CATEGORY", "NOT_YOUR_SUPPLIER",
                "SESSION_IN_PAST", ""), codes, r.acks().toString());
        assertTrue(r.acks().subList(0, 6).stream().noneMatch(SupplierAck::getAccepted));
        assertEquals("created", r.ack(6).getOutcome());
        assertEquals("bad-json", r.ack(0).getMessageId());
        // each refusal is recorded with its reason for the operators
        given().header("Authorization", Tokens.bearer("supplier_admin", 10)).queryParam("limit", 500)
                .get("/suppliers/CINEMA_ONE/failures").then().statusCode(200)
                .body("reasonCode", org.hamcrest.Matchers.hasItems("MALFORMED", "CATEGORY_NOT_ALLOWED", "UNKNOWN_CATEGORY",
                        "NOT_YOUR_SUPPLIER", "SESSION_IN_PAST"));
    }

    @Test
    void onlyRegisteredSupplierSystemsMayPushAndOnlyAsThemselves() {
        String rec = SupplierRecords.movie("S-" + UUID.randomUUID(), 1, 45, 2, "scheduled");
        // a supplier the registry does not know
        SupplierAck unknown = SupplierClients.push(grpcPort, SupplierClients.supplierToken("NOBODY", 919999),
                List.of(SupplierClients.update("u", rec))).ack(0);
        assertFalse(unknown.getAccepted());
        assertEquals("UNKNOWN_SUPPLIER", unknown.getReasonCode());
        // the hotel supplier may not feed movie sessions
        SupplierAck hotel = SupplierClients.push(grpcPort, SupplierClients.supplierToken("HOTEL_ONE", 910002),
                List.of(SupplierClients.update("h", rec))).ack(0);
        assertFalse(hotel.getAccepted());
        // not a hotel record: the hotel schema refuses it, naming the first field it lacks and the others
        assertEquals("MISSING_FIELD", hotel.getReasonCode(), hotel.toString());
        assertTrue(hotel.getReason().contains("calendar") && hotel.getReason().contains("hotel") && hotel.getReason().contains("status"),
                hotel.getReason());
        // a person's token and a platform service's token may not push; a supplier may not list the registry
        assertStatus("PERMISSION_DENIED", SupplierClients.push(grpcPort, Tokens.token("operator", 7), List.of(SupplierClients.update("o", rec))));
        assertStatus("PERMISSION_DENIED", SupplierClients.push(grpcPort, Tokens.serviceToken(), List.of(SupplierClients.update("s", rec))));
        assertStatus("UNAUTHENTICATED", SupplierClients.push(grpcPort, Tokens.forged("supplier", 1), List.of(SupplierClients.update("f", rec))));
        // a supplier token without supplier_code
        assertStatus("PERMISSION_DENIED", SupplierClients.push(grpcPort, SupplierClients.sign(List.of("supplier"), null, 5),
                List.of(SupplierClients.update("n", rec))));
    }

    @Test
    void aRoomTheCategoryRulesRefuseIsRefusedWithTheirReasonAndTheRestOfThePageGoesOn() {
        String token = SupplierClients.supplierToken("HOTEL_ONE", 910002);
        String ok = "R-" + UUID.randomUUID(), noBed = "R-" + UUID.randomUUID();
        SupplierClients.Pushed r = SupplierClients.push(grpcPort, token, List.of(
                SupplierClients.update("nobed", SupplierRecords.hotel(noBed, 1, 399, 4).replace("\"bedType\": \"king\", ", "")),
                SupplierClients.update("ok", SupplierRecords.hotel(ok, 1, 399, 4))));
        // the adapter invents no bed type: the category's rules (bed_type required, king / twin / triple) answer
        assertFalse(r.ack(0).getAccepted(), r.acks().toString());
        assertEquals("VALIDATION_FAILED", r.ack(0).getReasonCode());
        assertTrue(r.ack(0).getReason().contains("bed_type"), r.ack(0).getReason());
        assertEquals("created", r.ack(1).getOutcome(), r.acks().toString());
    }

    private static void assertStatus(String code, SupplierClients.Pushed pushed) {
        assertTrue(pushed.error() != null, "expected " + code + ", got acks " + pushed.acks());
        assertEquals(code, io.grpc.Status.fromThrowable(pushed.error()).getCode().name(), pushed.error().toString());
    }

    @Test
    void aLongStreamIsAnsweredOncePerMessageInOrderAndEachSessionKeepsItsNewestVersion() {
        // more messages than the gateway reads ahead of its acks, so pages are formed while others are applied
        String run = UUID.randomUUID().toString().substring(0, 8);
        int sessions = 40;
        int versions = 25;
        List<dev.marketops.proto.services.SupplierUpdate> stream = new java.util.ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            for (int i = 0; i < sessions; i++) {
                stream.add(SupplierClients.update("v" + v + "-" + i, SupplierRecords.movie("L-" + run + "-" + i, v, 40 + v, 50 - v,
                        "scheduled")));
                if (v % 5 == 0) { // an older version and a repeat come late: ignored
                    stream.add(SupplierClients.update("old" + v + "-" + i, SupplierRecords.movie("L-" + run + "-" + i, v - 1, 1, 1,
                            "scheduled")));
                    stream.add(SupplierClients.update("again" + v + "-" + i, SupplierRecords.movie("L-" + run + "-" + i, v, 40 + v,
                            50 - v, "scheduled")));
                }
            }
        }

        SupplierClients.Pushed pushed = SupplierClients.push(grpcPort, CINEMA, stream);

        assertEquals(stream.stream().map(dev.marketops.proto.services.SupplierUpdate::getMessageId).toList(),
                pushed.acks().stream().map(SupplierAck::getMessageId).toList(), "one ack per message, in message order");
        assertTrue(pushed.acks().stream().allMatch(SupplierAck::getAccepted), pushed.acks().toString());
        List<SupplierAck> created = pushed.acks().stream().filter(a -> "created".equals(a.getOutcome())).toList();
        assertEquals(sessions, created.size(), "one listing task per session");
        assertEquals(sessions, created.stream().map(SupplierAck::getTaskId).distinct().count());
        assertTrue(pushed.acks().stream().filter(a -> a.getMessageId().startsWith("old") || a.getMessageId().startsWith("again"))
                .allMatch(a -> "ignored".equals(a.getOutcome())), "older versions and repeats are ignored");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*), min(last_version), "
                + "max(last_version), count(DISTINCT task_id) FROM supplier_item WHERE supplier_code = 'CINEMA_ONE' AND external_id LIKE ?")) {
            ps.setString(1, "L-" + run + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(List.of((long) sessions, (long) versions, (long) versions, (long) sessions),
                        List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String itemStatus(String supplier, String ext) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM supplier_item WHERE supplier_code = ? AND external_id = ?")) {
            ps.setString(1, supplier);
            ps.setString(2, ext);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("gave up waiting until " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
