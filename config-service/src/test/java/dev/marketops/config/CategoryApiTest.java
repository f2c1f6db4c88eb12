package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.marketops.proto.config.Category;
import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.GetCategoryRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CategoryApiTest {

    @GrpcClient("config-self")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub grpc;

    @Test
    void theSevenSeedCategoriesAreServedOverRestAndGrpc() {
        admin().get("/categories").then().statusCode(200)
                .body("categoryCode", hasItems("DEAL", "OPV", "HOTEL", "MOVIE", "TOPUP", "GIFTCARD", "LOCAL_BUNDLE"));
        admin().get("/categories/2100").then().statusCode(200)
                .body("categoryCode", equalTo("HOTEL")).body("level", equalTo(2))
                .body("inventoryModel", equalTo("date_based")).body("priceModel", equalTo("calendar"));

        Category movie = grpc.getCategory(GetCategoryRequest.newBuilder().setCategoryId(3100).build());
        assertEquals("MOVIE", movie.getCategoryCode());
        assertEquals("seat_based", movie.getInventoryModel());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> grpc.getCategory(GetCategoryRequest.newBuilder().setCategoryId(999_999).build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    }

    @Test
    void aChildCategoryInheritsModelsAndItsLevelFromTheParent() {
        String code = "CONCERT_" + ThreadLocalRandom.current().nextInt(1_000_000);
        admin().contentType("application/json")
                .body(Map.of("code", code, "name", "Concert tickets", "parentId", 3000))
                .post("/categories").then().statusCode(201)
                .body("level", equalTo(2)).body("inventoryModel", equalTo("seat_based"))
                .body("priceModel", equalTo("session"));
        admin().contentType("application/json")
                .body(Map.of("code", code, "name", "again", "parentId", 3000))
                .post("/categories").then().statusCode(409).body("code", equalTo("DUPLICATE_CATEGORY_CODE"));
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        admin().get("/categories/424242").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_CATEGORY"));
        admin().contentType("application/json").body(Map.of("name", "no code"))
                .post("/categories").then().statusCode(400)
                .body("code", equalTo("MISSING_FIELD")).body("field", equalTo("code"));
        admin().contentType("application/json").body(Map.of("code", "X_" + System.nanoTime(), "name", "n", "parentId", 1101))
                .post("/categories").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("parentId"));
        admin().contentType("application/json").body(Map.of("code", "Y_" + System.nanoTime(), "name", "n",
                        "inventoryModel", "bottomless"))
                .post("/categories").then().statusCode(400).body("field", equalTo("inventoryModel"));
        admin().contentType("application/json").body("{\"code\": ").post("/categories").then()
                .statusCode(400).body("code", equalTo("MALFORMED_JSON"));
    }
}
