package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.as;
import static dev.marketops.config.ConfigFixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.ListTagsRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The tag table (main seed 4.6.2): create, change with versions, deactivate; search reads it over gRPC. */
@QuarkusTest
class TagApiTest {

    @GrpcClient("config-self")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub grpc;

    @Test
    void aTagIsCreatedChangedAndDeactivated() {
        String code = unique("SPRING");
        as("operator", 9).contentType("application/json")
                .body(Map.of("code", code, "name", "Spring festival", "type", "seasonal", "priority", 80, "iconUrl", "https://cdn/x.png"))
                .post("/tags").then().statusCode(201).body("tagType", equalTo("seasonal")).body("priority", equalTo(80))
                .body("updatedBy", equalTo("9"));
        admin().contentType("application/json").body(Map.of("code", code, "name", "Twice"))
                .post("/tags").then().statusCode(409).body("code", equalTo("DUPLICATE_TAG_CODE"));
        admin().contentType("application/json").body(Map.of("code", unique("BAD"), "name", "Bad", "type", "clearance"))
                .post("/tags").then().statusCode(400).body("field", equalTo("type"));

        admin().contentType("application/json").body(Map.of("version", 0, "priority", 95))
                .put("/tags/" + code).then().statusCode(200).body("priority", equalTo(95)).body("version", equalTo(1));
        admin().contentType("application/json").body(Map.of("version", 0, "priority", 10))
                .put("/tags/" + code).then().statusCode(409).body("code", equalTo("STALE_VERSION"));
        Assertions.assertTrue(grpc.listTags(ListTagsRequest.getDefaultInstance()).getTagsList().stream()
                .anyMatch(t -> t.getTagCode().equals(code) && t.getPriority() == 95));

        admin().delete("/tags/" + code).then().statusCode(200).body("active", equalTo(false));
        as("merchant", 4).get("/tags").then().statusCode(200).body("tagCode", not(hasItem(code)));
        as("merchant", 4).get("/tags?includeInactive=true").then().statusCode(200).body("tagCode", hasItem(code));
        as("merchant", 4).contentType("application/json").body(Map.of("code", unique("M"), "name", "m"))
                .post("/tags").then().statusCode(403);
    }
}
