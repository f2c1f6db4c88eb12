package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.CITY_STAYS;
import static dev.marketops.listing.TestCallers.HARBOUR_DEALS;
import static dev.marketops.listing.TestCallers.as;
import static dev.marketops.listing.TestCallers.asMerchant;
import static dev.marketops.listing.TestCallers.asOperator;
import static dev.marketops.listing.TestCallers.merchantDraft;
import static dev.marketops.listing.TestCallers.operatorDraft;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.marketops.listing.catalogue.CatalogueFixtures;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.StockChange;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import io.agroal.api.AgroalDataSource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Who may do what with listings, for which shop: permissions per role, merchant isolation,
 * identities from the token, sources by role, shops as facts, gRPC for services only, deep pages.
 */
@QuarkusTest
@QuarkusTestResource(dev.marketops.platform.testing.ConfigServiceTestResource.class)
class ListingAccessTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;
    @GrpcClient("listing-self")
    ListingQueriesGrpc.ListingQueriesBlockingStub queries;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    private static final String M1001 = Tokens.merchantBearer(501, HARBOUR_DEALS);
    private static final String M1002 = Tokens.merchantBearer(502, CITY_STAYS);

    private long merchantTask(String bearer) {
        return as(bearer).body(merchantDraft(SampleListings.DEAL, "merchant_portal")).post("/listings").then().statusCode(201)
                .extract().jsonPath().getLong("taskId");
    }

    private static RequestSpecification roleSpec(String role) {
        return Roles.MERCHANT.equals(role) ? as(M1001) : as(role, 300);
    }

    private static Map<String, Object> bodyFor(String role) {
        return Roles.MERCHANT.equals(role) ? merchantDraft(SampleListings.DEAL, "merchant_portal")
                : operatorDraft(SampleListings.DEAL, "operator_form", HARBOUR_DEALS);
    }

    @Test
    void listingWritesAndReadsFollowThePermissionTable() {
        for (String role : Roles.PEOPLE) {
            boolean write = Permission.LISTING_WRITE.roles().contains(role);
            boolean read = Permission.LISTING_READ.roles().contains(role);
            // create, single and batch
            roleSpec(role).body(bodyFor(role)).post("/listings").then().statusCode(write ? 201 : 403);
            Map<String, Object> item = new java.util.HashMap<>(bodyFor(role));
            roleSpec(role).body(Map.of("tasks", List.of(item))).post("/listings/batch").then().statusCode(write ? 200 : 403);
            // edit and act on a task of merchant 1001's shop (a merchant of that shop, or staff)
            long task = merchantTask(M1001);
            roleSpec(role).body(Map.of("expectedVersion", 0, "title", "edited by " + role)).put("/listings/" + task).then()
                    .statusCode(write ? 200 : 403);
            roleSpec(role).body(Map.of("expectedVersion", write ? 1 : 0)).post("/listings/" + task + "/actions/submit").then()
                    .statusCode(write ? 200 : 403);
            roleSpec(role).get("/listings/" + task).then().statusCode(read ? 200 : 403);
            roleSpec(role).get("/listings/" + task + "/history").then().statusCode(read ? 200 : 403);
            roleSpec(role).get("/listings").then().statusCode(read ? 200 : 403);
        }
        given().header("Authorization", Tokens.bearer("service", 1)).contentType("application/json")
                .body(bodyFor(Roles.OPERATOR)).post("/listings").then().statusCode(403);
        given().contentType("application/json").body(bodyFor(Roles.OPERATOR)).post("/listings").then().statusCode(401);
    }

    @Test
    void aTaskNamesTheActionsItsStateAllowsNowAndNoneForReaders() {
        long task = merchantTask(M1001);
        assertEquals(List.of("submit", "edit"), as(M1001).get("/listings/" + task).then().statusCode(200).extract().jsonPath()
                .getList("allowedActions"), "a draft can be submitted or edited");
        assertEquals(List.of(), as(Roles.AUDITOR, 300).get("/listings/" + task).then().statusCode(200).extract().jsonPath()
                .getList("allowedActions"), "an auditor reads listings but acts only in the review queue");
        io.restassured.path.json.JsonPath submitted = as(M1001).body(Map.of("expectedVersion", 0)).post("/listings/" + task + "/actions/submit")
                .then().statusCode(200).extract().jsonPath();
        List<String> afterSubmit = submitted.getList("allowedActions");
        assertEquals(false, afterSubmit.contains("submit"), "submitted once: " + afterSubmit);
        as(M1001).body(Map.of("expectedVersion", submitted.getLong("version"))).post("/listings/" + task + "/actions/submit").then()
                .statusCode(409);
    }

    @Test
    void aMerchantSeesAndChangesOnlyItsOwnShopsTasksAndItems() {
        long task = merchantTask(M1001);
        // another merchant: as if the task did not exist
        as(M1002).get("/listings/" + task).then().statusCode(404).body("code", equalTo("UNKNOWN_TASK"));
        as(M1002).get("/listings/" + task + "/history").then().statusCode(404);
        as(M1002).body(Map.of("expectedVersion", 0)).post("/listings/" + task + "/actions/submit").then().statusCode(404);
        as(M1002).body(Map.of("expectedVersion", 0, "title", "hijacked")).put("/listings/" + task).then().statusCode(404);
        as(M1002).queryParam("size", 200).get("/listings").then().statusCode(200).body("items.taskId", not(hasItem(String.valueOf(task))))
                .body("items.shopId", everyItem(equalTo(String.valueOf(CITY_STAYS))));
        as(M1002).queryParam("shopId", HARBOUR_DEALS).get("/listings").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("shopId"));
        // its own merchant and staff see it
        as(M1001).get("/listings/" + task).then().statusCode(200).body("title", equalTo(merchantDraft(SampleListings.DEAL,
                "merchant_portal").get("title")));
        asOperator().get("/listings/" + task).then().statusCode(200).body("shopId", equalTo(String.valueOf(HARBOUR_DEALS)));
        asOperator().queryParam("shopId", HARBOUR_DEALS).queryParam("size", 200).get("/listings").then().statusCode(200)
                .body("items.shopId", everyItem(equalTo(String.valueOf(HARBOUR_DEALS))));
        as(M1001).body(Map.of("expectedVersion", 0)).post("/listings/" + task + "/actions/submit").then().statusCode(200);

        // the catalogue: merchant 1001's item is unknown to merchant 1002, over REST and for a service acting for it
        CatalogueFixtures fx = new CatalogueFixtures(ds, grpc, catalog);
        long item = fx.publish(fx.approved(List.of(CatalogueFixtures.listing(SampleListings.OPV, HARBOUR_DEALS, null)), null)).get(0);
        as(M1002).get("/items/" + item).then().statusCode(404).body("code", equalTo("UNKNOWN_ITEM"));
        as(M1002).body(Map.of("itemIds", List.of(item), "targetStatus", "offline")).post("/items/status").then().statusCode(200)
                .body("results[0].errorCode", equalTo("NOT_FOUND"));
        assertEquals(0, (int) actingFor(new Actor(502, Roles.MERCHANT, Set.of(Roles.MERCHANT), CITY_STAYS, null, null),
                () -> catalog.getItems(ItemRefs.newBuilder().addItemIds(item).build()).getItemsCount()));
        Actor other = new Actor(502, Roles.MERCHANT, Set.of(Roles.MERCHANT), CITY_STAYS, null, null);
        Actor owner = new Actor(501, Roles.MERCHANT, Set.of(Roles.MERCHANT), HARBOUR_DEALS, null, null);
        String isolation = CatalogueFixtures.tag(configUrl, "isolation");
        AddTagsRequest tag = AddTagsRequest.newBuilder().addItemIds(item).addTags(isolation).build();
        assertEquals("NOT_FOUND", actingFor(other, () -> catalog.addTags(tag)).getResults(0).getErrorCode());
        AdjustInventoryRequest stock = AdjustInventoryRequest.newBuilder()
                .addChanges(StockChange.newBuilder().setItemId(item).setMode("set").setQuantity(3)).build();
        assertEquals("NOT_FOUND", actingFor(other, () -> catalog.adjustInventory(stock)).getResults(0).getErrorCode());
        assertEquals(true, actingFor(owner, () -> catalog.addTags(tag)).getResults(0).getOk());
        StatusRuntimeException hidden = assertThrows(StatusRuntimeException.class,
                () -> actingFor(other, () -> grpc.getTask(GetTaskRequest.newBuilder().setTaskId(task).build())));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
        assertEquals(List.of(task), actingFor(other, () -> queries.getTasks(GetTasksRequest.newBuilder().addTaskIds(task).build()))
                .getMissingTaskIdsList());
        assertEquals(task, actingFor(owner, () -> grpc.getTask(GetTaskRequest.newBuilder().setTaskId(task).build())).getTaskId());
        as(M1001).get("/items/" + item).then().statusCode(200).body("shopId", equalTo(String.valueOf(HARBOUR_DEALS))).body("tags", hasItem(isolation));
        asOperator().get("/items/" + item).then().statusCode(200);
        asOperator().body(Map.of("itemIds", List.of(item), "targetStatus", "offline")).post("/items/status").then().statusCode(200)
                .body("succeeded", equalTo(1));
    }

    @Test
    void theSourceACallerMayClaimFollowsItsRole() {
        // operator_form picks the "skip" audit strategy: never a merchant's
        as(M1001).body(merchantDraft(SampleListings.DEAL, "operator_form")).post("/listings").then().statusCode(403)
                .body("code", equalTo("SOURCE_NOT_ALLOWED")).body("field", equalTo("sourceType"));
        as(M1001).body(merchantDraft(SampleListings.HOTEL, "supplier_pull")).post("/listings").then().statusCode(403)
                .body("field", equalTo("sourceType"));
        Map<String, Object> claimsOperator = merchantDraft(SampleListings.DEAL, "merchant_app");
        claimsOperator.put("sourceUserType", "operator");
        as(M1001).body(claimsOperator).post("/listings").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("sourceUserType"));
        asOperator().body(operatorDraft(SampleListings.DEAL, "merchant_portal", HARBOUR_DEALS)).post("/listings").then()
                .statusCode(403).body("code", equalTo("SOURCE_NOT_ALLOWED")).body("field", equalTo("sourceType"));
        // staff may enter a supplier's goods on its behalf, for a shop they name; the user type is then "system"
        Map<String, Object> forSupplier = operatorDraft(SampleListings.HOTEL, "supplier_pull", HARBOUR_DEALS);
        forSupplier.remove("sourceUserType");
        asOperator().body(forSupplier).post("/listings").then().statusCode(201).body("sourceUserType", equalTo("system"));
        // in a batch each refused item is reported by index
        as(M1001).body(Map.of("tasks", List.of(merchantDraft(SampleListings.DEAL, "merchant_app"),
                merchantDraft(SampleListings.DEAL, "operator_form")))).post("/listings/batch").then().statusCode(200)
                .body("created", equalTo(1)).body("results[1].errorCode", equalTo("SOURCE_NOT_ALLOWED"))
                .body("results[1].errorField", equalTo("sourceType"));
        // a service acting for a merchant is held to the merchant's sources too
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> actingFor(
                new Actor(501, Roles.MERCHANT, Set.of(Roles.MERCHANT), HARBOUR_DEALS, null, null),
                () -> grpc.createTask(CreateTaskRequest.newBuilder().setCategoryId(SampleListings.DEAL).setTitle("sneaky")
                        .setSourceType("merchant_app").setSourceUserType("operator").setItemDataJson("{}").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("IDENTITY_MISMATCH", e.getTrailers().get(GrpcProblems.PROBLEM_CODE));
        e = assertThrows(StatusRuntimeException.class, () -> actingFor(
                new Actor(501, Roles.MERCHANT, Set.of(Roles.MERCHANT), HARBOUR_DEALS, null, null),
                () -> grpc.createTask(CreateTaskRequest.newBuilder().setCategoryId(SampleListings.DEAL).setTitle("sneaky")
                        .setSourceType("operator_form").setSourceUserType("merchant").setItemDataJson("{}").build())));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals("SOURCE_NOT_ALLOWED", e.getTrailers().get(GrpcProblems.PROBLEM_CODE));
    }

    @Test
    void whoActsComesFromTheTokenAndABodyNamingSomeoneElseIsRefused() {
        Map<String, Object> other = operatorDraft(SampleListings.DEAL, "operator_form", HARBOUR_DEALS);
        other.put("creatorId", 9101);
        asOperator().body(other).post("/listings").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("creatorId"));
        Map<String, Object> merchantNamed = operatorDraft(SampleListings.DEAL, "operator_form", HARBOUR_DEALS);
        merchantNamed.put("merchantId", 1001);
        asOperator().body(merchantNamed).post("/listings").then().statusCode(400).body("field", equalTo("merchantId"));
        Map<String, Object> same = operatorDraft(SampleListings.DEAL, "operator_form", HARBOUR_DEALS);
        same.put("creatorId", TestCallers.OPERATOR_ID);
        long task = asOperator().body(same).post("/listings").then().statusCode(201).body("createdBy", equalTo("42"))
                .extract().jsonPath().getLong("taskId");
        asOperator().body(Map.of("expectedVersion", 0, "operatorId", 9)).post("/listings/" + task + "/actions/submit").then()
                .statusCode(400).body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("operatorId"));
        asOperator().body(Map.of("expectedVersion", 0, "title", "x", "operatorId", 9)).put("/listings/" + task).then()
                .statusCode(400).body("field", equalTo("operatorId"));

        long mine = merchantTask(M1001);
        as(M1001).get("/listings/" + mine).then().body("createdBy", equalTo("501")).body("merchantId", equalTo("1001"));
        as(M1001).header("User-Agent", "probe/2.0").body(Map.of("expectedVersion", 0)).post("/listings/" + mine + "/actions/submit")
                .then().statusCode(200);
        as(M1001).get("/listings/" + mine + "/history").then().body("[1].operatorId", equalTo("501"))
                .body("[1].operatorType", equalTo("merchant"));
        assertEquals("probe/2.0", text("SELECT user_agent FROM listing_state_history WHERE task_id = " + mine + " AND action = 'submit'"));
    }

    @Test
    void theShopIsAFactNamedByStaffAndTakenFromAMerchantsToken() {
        Map<String, Object> noShop = operatorDraft(SampleListings.DEAL, "operator_form", 0);
        noShop.remove("shopId");
        asOperator().body(noShop).post("/listings").then().statusCode(400)
                .body("code", equalTo("MISSING_FIELD")).body("field", equalTo("shopId"));
        asOperator().body(operatorDraft(SampleListings.DEAL, "operator_form", 987_654_321)).post("/listings").then().statusCode(400)
                .body("code", equalTo("UNKNOWN_SHOP")).body("field", equalTo("shopId"));
        asOperator().body(Map.of("tasks", List.of(noShop))).post("/listings/batch").then().statusCode(200)
                .body("results[0].errorCode", equalTo("MISSING_FIELD")).body("results[0].errorField", equalTo("shopId"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> grpc.createTask(CreateTaskRequest.newBuilder()
                .setCategoryId(SampleListings.HOTEL).setTitle("no shop").setSourceType("supplier_pull").setSourceUserType("system")
                .setItemDataJson("{}").build()));
        assertEquals("MISSING_FIELD", e.getTrailers().get(GrpcProblems.PROBLEM_CODE));

        // staff name a known shop; the merchant of that shop owns the task
        asOperator().body(operatorDraft(SampleListings.DEAL, "operator_form", CITY_STAYS)).post("/listings").then().statusCode(201)
                .body("shopId", equalTo(String.valueOf(CITY_STAYS))).body("merchantId", equalTo(String.valueOf(CITY_STAYS))).body("createdBy", equalTo("42"));
        asOperator().body(operatorDraft(SampleListings.DEAL, "operator_form", TestCallers.PLATFORM_SHOP)).post("/listings").then()
                .statusCode(201).body("shopId", equalTo("1")).body("merchantId", equalTo(null));
        // a merchant's listing is in its own shop; it may repeat that shop, not name another
        as(M1001).body(merchantDraft(SampleListings.DEAL, "merchant_portal")).post("/listings").then().statusCode(201)
                .body("shopId", equalTo(String.valueOf(HARBOUR_DEALS)));
        Map<String, Object> elsewhere = merchantDraft(SampleListings.DEAL, "merchant_portal");
        elsewhere.put("shopId", CITY_STAYS);
        as(M1001).body(elsewhere).post("/listings").then().statusCode(400)
                .body("code", equalTo("IDENTITY_MISMATCH")).body("field", equalTo("shopId"));

        // the catalogue's item is in the task's shop, not in its creator's
        CatalogueFixtures fx = new CatalogueFixtures(ds, grpc, catalog);
        long merchantItem = fx.publish(fx.approved(List.of(CatalogueFixtures.listing(SampleListings.OPV, HARBOUR_DEALS, null)), null))
                .get(0);
        assertEquals(HARBOUR_DEALS, catalog.getItems(ItemRefs.newBuilder().addItemIds(merchantItem).build()).getItems(0).getShopId());
        long operatorTask = asOperator().body(operatorDraft(SampleListings.OPV, "operator_form", CITY_STAYS)).post("/listings").then()
                .statusCode(201).extract().jsonPath().getLong("taskId");
        grpc.transition(TransitionRequest.newBuilder().setTaskId(operatorTask).setAction("submit").setExpectedVersion(-1).build());
        grpc.transition(TransitionRequest.newBuilder().setTaskId(operatorTask).setAction("approve").setExpectedVersion(-1)
                .setAuditType("skip").build());
        long operatorItem = fx.publish(List.of(operatorTask)).get(0);
        assertEquals(CITY_STAYS, catalog.getItems(ItemRefs.newBuilder().addItemIds(operatorItem).build()).getItems(0).getShopId());
    }

    @Test
    void listingCommandsOverGrpcAreForServicesOnlyAndRecordTheUserTheyActFor() throws Exception {
        long task = merchantTask(M1001);
        TransitionRequest submit = TransitionRequest.newBuilder().setTaskId(task).setAction("submit").setExpectedVersion(-1).build();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            ListingCommandsGrpc.ListingCommandsBlockingStub bare = ListingCommandsGrpc.newBlockingStub(channel);
            StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
                    () -> bare.withDeadlineAfter(5, TimeUnit.SECONDS).transition(submit));
            assertEquals(Status.Code.UNAUTHENTICATED, none.getStatus().getCode());
            Metadata person = new Metadata();
            person.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), Tokens.bearer("admin", 1));
            StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> bare
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(person)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .transition(submit));
            assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        as(M1001).get("/listings/" + task).then().body("statusName", equalTo("DRAFT"));

        // a service acting for an operator: the history names that operator
        actingFor(new Actor(77, Roles.OPERATOR, Set.of(Roles.OPERATOR), null, "198.51.100.7", "console/1"), () -> grpc.transition(submit));
        asOperator().get("/listings/" + task + "/history").then().body("[1].action", equalTo("submit"))
                .body("[1].operatorId", equalTo("77")).body("[1].operatorType", equalTo("operator"));
        assertEquals("198.51.100.7", text("SELECT client_ip FROM listing_state_history WHERE task_id = " + task + " AND action = 'submit'"));
    }

    @Test
    void deepPagesAreRefusedWithAHintToFilter() {
        asOperator().queryParam("page", 50).queryParam("size", 200).get("/listings").then().statusCode(200);
        asOperator().queryParam("page", 51).queryParam("size", 200).get("/listings").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("page"));
        asOperator().queryParam("page", Integer.MAX_VALUE).queryParam("size", 200).get("/listings").then().statusCode(400)
                .body("field", equalTo("page"));
        asOperator().queryParam("page", 20_000_000).queryParam("size", 200).get("/items").then().statusCode(400)
                .body("field", equalTo("page"));
    }

    private static <T> T actingFor(Actor actor, java.util.concurrent.Callable<T> call) {
        try {
            return ActorPropagation.callAs(actor, call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(String sql) {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
