package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.auditRow;
import static dev.marketops.config.ConfigFixtures.createCategory;
import static dev.marketops.config.ConfigFixtures.postAuditRow;
import static dev.marketops.config.ConfigFixtures.resolve;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.ResolveAuditStrategyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Resolution of the audit strategy as callers see it, over REST and gRPC. */
@QuarkusTest
class AuditStrategyResolutionApiTest {

    private static final long HOTEL = 2100;
    private static final long MOVIE = 3100;

    @GrpcClient("config-self")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub grpc;

    private AuditStrategyDecision grpcResolve(long categoryId, String sourceType, String userType) {
        return grpc.resolveAuditStrategy(ResolveAuditStrategyRequest.newBuilder().setCategoryId(categoryId)
                .setSourceType(sourceType).setSourceUserType(userType).build());
    }

    @Test
    void anExactRowDecides() {
        resolve(MOVIE, "supplier_push", "system").statusCode(200)
                .body("strategy", equalTo("fast_track")).body("configured", equalTo(true))
                .body("matchedCategoryId", equalTo(String.valueOf(MOVIE))).body("reason", containsString("user type system"));

        AuditStrategyDecision d = grpcResolve(MOVIE, "supplier_push", "system");
        assertEquals("fast_track", d.getStrategy());
        assertTrue(d.getConfigured());
        assertEquals(MOVIE, d.getMatchedCategoryId());
        assertTrue(d.getConfigId() > 0);
        assertEquals("{}", d.getValidationRulesJson());
    }

    @Test
    void aRowForAnyUserTypeCoversEveryCaller() {
        // The seed configures hotel API imports for any user type.
        resolve(HOTEL, "api", "merchant").statusCode(200)
                .body("strategy", equalTo("auto")).body("configured", equalTo(true))
                .body("reason", containsString("any user type"));

        AuditStrategyDecision d = grpcResolve(HOTEL, "api", "");
        assertEquals("auto", d.getStrategy());
        assertTrue(d.getConfigured());
    }

    @Test
    void aNewSubCategoryInheritsItsAncestorsRowsUntilItHasItsOwn() {
        // given a boutique-hotel category under HOTEL with no rows of its own
        long boutique = createCategory("BOUTIQUE_HOTEL", "Boutique hotels", HOTEL);

        // then the hotel's supplier-pull row applies
        resolve(boutique, "supplier_pull", "system").statusCode(200)
                .body("strategy", equalTo("fast_track")).body("matchedCategoryId", equalTo(String.valueOf(HOTEL)))
                .body("reason", containsString("ancestor category " + HOTEL));
        assertEquals(HOTEL, grpcResolve(boutique, "supplier_pull", "system").getMatchedCategoryId());

        // when it gets its own row, that row wins
        postAuditRow(auditRow(boutique, "supplier_pull", null, "manual")).statusCode(201);
        resolve(boutique, "supplier_pull", "system").statusCode(200)
                .body("strategy", equalTo("manual")).body("matchedCategoryId", equalTo(String.valueOf(boutique)));
        assertEquals("manual", grpcResolve(boutique, "supplier_pull", "system").getStrategy());
    }

    @Test
    void withoutAnyRowTheSourceTypeDefaultApplies() {
        // Movie has no merchant or API rows, nor has its root ENTERTAINMENT.
        resolve(MOVIE, "merchant_portal", "merchant").statusCode(200)
                .body("strategy", equalTo("manual")).body("configured", equalTo(false))
                .body("configId", nullValue()).body("reason", containsString("default for source merchant_portal"));
        resolve(MOVIE, "api", null).statusCode(200).body("strategy", equalTo("auto")).body("configured", equalTo(false));
        resolve(MOVIE, "excel_batch", "operator").statusCode(200).body("strategy", equalTo("skip"));
        resolve(MOVIE, "excel_batch", "merchant").statusCode(200).body("strategy", equalTo("manual"));

        AuditStrategyDecision d = grpcResolve(MOVIE, "supplier_pull", "system");
        assertEquals("fast_track", d.getStrategy());
        assertFalse(d.getConfigured());
        assertEquals(0, d.getMatchedCategoryId());
    }

    @Test
    void anUnknownCategoryOrSourceIsAProblemOverRestAndGrpc() {
        resolve(987_654_321, "api", null).statusCode(404).body("code", equalTo("UNKNOWN_CATEGORY"));
        resolve(MOVIE, "carrier_pigeon", null).statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("sourceType"));
        resolve(MOVIE, "api", "robot").statusCode(400).body("field", equalTo("sourceUserType"));

        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> grpcResolve(987_654_321, "api", ""));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertEquals("UNKNOWN_CATEGORY", unknown.getTrailers().get(GrpcProblems.PROBLEM_CODE));
        StatusRuntimeException badSource = assertThrows(StatusRuntimeException.class,
                () -> grpcResolve(MOVIE, "", ""));
        assertEquals(Status.Code.INVALID_ARGUMENT, badSource.getStatus().getCode());
    }
}
