package dev.marketops.supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.services.ListSuppliersRequest;
import dev.marketops.proto.services.Supplier;
import dev.marketops.proto.services.SupplierGatewayGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SupplierApiTest {

    @Inject
    AgroalDataSource ds;

    @GrpcClient("supplier-self")
    SupplierGatewayGrpc.SupplierGatewayBlockingStub grpc;

    @Test
    void theSeedSuppliersAreRegisteredWithTheirSyncMode() {
        supplierAdmin().queryParam("categoryCode", "HOTEL").get("/suppliers").then().statusCode(200)
                .body("items.supplierCode", hasItem("HOTEL_100001"))
                .body("items.categoryCode", everyItem(equalTo("HOTEL")));
        supplierAdmin().queryParam("syncMode", "push").get("/suppliers").then().statusCode(200)
                .body("items.supplierCode", hasItem("MOVIE_100002"))
                .body("items.syncMode", everyItem(equalTo("push")));

        supplierAdmin().get("/suppliers/HOTEL_100001").then().statusCode(200)
                .body("syncMode", equalTo("pull")).body("pullIntervalSeconds", equalTo(3600))
                .body("endpointUrl", equalTo("https://hotel-supplier.example.com/api/hotels/changes"))
                .body("syncState.consecutiveFailures", equalTo(0));
        supplierAdmin().get("/suppliers/MOVIE_100002").then().statusCode(200)
                .body("pushTopic", equalTo("supplier.movie.updates")).body("pullIntervalSeconds", nullValue());
    }

    @Test
    void aFailingSupplierShowsItsSyncStateAndIsListedByCategoryOverGrpc() throws SQLException {
        // given a pull supplier of a category of its own whose last three pulls failed
        String code = "TEST_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        String category = "CAT_" + code;
        sql("INSERT INTO supplier (supplier_code, supplier_name, category_code, sync_mode, endpoint_url, pull_interval_seconds, enabled)"
                + " VALUES (?, 'Flaky supplier', ?, 'pull', 'http://127.0.0.1:1/changes', 60, false)", code, category);
        sql("INSERT INTO supplier_sync_state (supplier_code, watermark, last_attempt_at, consecutive_failures, last_error)"
                + " VALUES (?, '2026-01-01T00:00:00Z', now(), 3, 'connection refused')", code);

        // then its detail carries the sync state
        supplierAdmin().get("/suppliers/" + code).then().statusCode(200)
                .body("enabled", equalTo(false))
                .body("syncState.watermark", equalTo("2026-01-01T00:00:00Z"))
                .body("syncState.consecutiveFailures", equalTo(3))
                .body("syncState.lastError", equalTo("connection refused"))
                .body("syncState.lastSuccessAt", nullValue());
        supplierAdmin().queryParam("categoryCode", category).get("/suppliers").then()
                .body("items.supplierCode", contains(code)).body("total", equalTo(1));

        // and gRPC lists exactly it for its category, and it among all suppliers
        List<Supplier> ofCategory = grpc.listSuppliers(ListSuppliersRequest.newBuilder().setCategoryCode(category).build())
                .getSuppliersList();
        assertEquals(1, ofCategory.size());
        assertEquals(code, ofCategory.get(0).getSupplierCode());
        assertEquals("pull", ofCategory.get(0).getSyncMode());
        assertTrue(grpc.listSuppliers(ListSuppliersRequest.getDefaultInstance()).getSuppliersList().stream()
                .map(Supplier::getSupplierCode).toList().containsAll(List.of(code, "HOTEL_100001", "MOVIE_100002")));
    }

    @Test
    void unknownSuppliersAndBadParametersAreProblems() {
        supplierAdmin().get("/suppliers/NO_SUCH_SUPPLIER").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_SUPPLIER"));
        supplierAdmin().queryParam("syncMode", "carrier-pigeon").get("/suppliers").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("syncMode"));
        supplierAdmin().queryParam("size", 201).get("/suppliers").then().statusCode(400).body("field", equalTo("size"));
    }

    private void sql(String statement, String... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** A supplier admin: supplier:admin. */
    private static io.restassured.specification.RequestSpecification supplierAdmin() {
        return given().header("Authorization", Tokens.bearer("supplier_admin", 7));
    }
}
