package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who gets in, through the gateway with real Keycloak tokens: every operation of every service's
 * OpenAPI document refuses a caller without a valid token; the role matrix follows the
 * permission table (README); gRPC needs a service token.
 */
class AccessE2ETest {

    static final List<String> SERVICES = List.of("listing", "audit", "publish", "batch", "supplier", "config", "maintenance", "search");

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    /** One operation of a service's OpenAPI document, with the media type its request body declares. */
    record Operation(String service, String method, String path, String contentType) {
        String url() {
            return "/api/" + service + path.replaceAll("\\{[^}]+}", "1");
        }
    }

    static List<Operation> operations() throws Exception {
        List<Operation> ops = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String s : SERVICES) {
            JsonNode doc = json.readTree(given().get("/api/" + s + "/q/openapi?format=json").then().statusCode(200).extract().asString());
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
                    String method = m.next();
                    if (List.of("get", "post", "put", "delete", "patch").contains(method)) {
                        Iterator<String> types = path.getValue().path(method).path("requestBody").path("content").fieldNames();
                        ops.add(new Operation(s, method.toUpperCase(), path.getKey(), types.hasNext() ? types.next() : null));
                    }
                }
            }
        }
        return ops;
    }

    static Response call(Operation op, String authorization) {
        RequestSpecification r = given().redirects().follow(false);
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        if (op.contentType() != null && op.contentType().startsWith("multipart/")) {
            r = r.multiPart("file", "probe.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        } else if (!op.method().equals("GET") && !op.method().equals("DELETE")) {
            r = r.contentType(op.contentType() == null ? "application/json" : op.contentType()).body("{}");
        }
        return r.request(op.method(), op.url());
    }

    @Test
    void everyOperationRefusesAnonymousForgedAndExpiredCallers() throws Exception {
        List<Operation> ops = operations();
        assertTrue(ops.size() >= 50, "the fleet's OpenAPI documents list its operations: " + ops.size());
        String forged = "Bearer " + forgedAdmin();
        String expired = "Bearer " + Logins.shortLived();
        // the probe client's tokens live 2 s; the services allow 10 s of clock skew
        Thread.sleep(13_000);
        List<String> open = new ArrayList<>();
        for (Operation op : ops) {
            for (String[] caller : new String[][] {{"anonymous", null}, {"forged", forged}, {"expired", expired}}) {
                Response r = call(op, caller[1]);
                if (r.statusCode() != 401 || !"UNAUTHENTICATED".equals(r.jsonPath().getString("code"))) {
                    open.add(caller[0] + " " + op.method() + " " + op.url() + " -> " + r.statusCode());
                }
            }
        }
        assertEquals(List.of(), open, "operations that did not answer 401 UNAUTHENTICATED");
        // the short public list stays open; metrics are not on the gateway at all
        for (String s : SERVICES) {
            given().get("/api/" + s + "/q/health/ready").then().statusCode(200);
            assertTrue(List.of(401, 404).contains(given().get("/api/" + s + "/q/metrics").statusCode()), s + " metrics exposed");
        }
    }

    /** Each role against one representative operation per permission: allowed (not 401/403) or 403, as Permission says. */
    @Test
    void theRoleMatrixFollowsThePermissionTable() {
        record Probe(Permission permission, String method, String url, String body) {
        }
        List<Probe> probes = List.of(
                new Probe(Permission.LISTING_READ, "GET", "/api/listing/listings?size=1", null),
                new Probe(Permission.LISTING_WRITE, "POST", "/api/listing/listings", "{}"),
                new Probe(Permission.CONFIG_READ, "GET", "/api/config/categories", null),
                new Probe(Permission.CONFIG_WRITE, "PUT", "/api/config/audit-configs/999999999", "{}"),
                new Probe(Permission.CONFIG_WRITE, "POST", "/api/config/categories", "{}"),
                new Probe(Permission.AUDIT_DECIDE, "POST", "/api/audit/reviews/999999999/approve", "{}"),
                new Probe(Permission.CATALOGUE_READ, "GET", "/api/search/search/items?size=1", null),
                new Probe(Permission.GOODS_STATUS, "POST", "/api/listing/items/status", "{}"),
                new Probe(Permission.SHOP_STATUS, "POST", "/api/listing/shops/999999999/status", "{}"),
                new Probe(Permission.BATCH_RUN, "GET", "/api/batch/batches", null),
                new Probe(Permission.SAGA_READ, "GET", "/api/publish/sagas/999999999", null),
                new Probe(Permission.RECONCILIATION, "GET", "/api/search/reconciliations", null),
                new Probe(Permission.DEAD_LETTERS, "GET", "/api/maintenance/dead-letters", null),
                new Probe(Permission.STATISTICS_READ, "GET", "/api/maintenance/job-runs", null),
                new Probe(Permission.SUPPLIER_ADMIN, "GET", "/api/supplier/suppliers", null));
        List<String> wrong = new ArrayList<>();
        long uid = 4000;
        for (String role : Roles.PEOPLE) {
            String bearer = Logins.bearer(role, ++uid);
            for (Probe p : probes) {
                RequestSpecification r = given().header("Authorization", bearer);
                if (p.body() != null) {
                    r = r.contentType("application/json").body(p.body());
                }
                int status = r.request(p.method(), p.url()).statusCode();
                boolean allowed = p.permission().roles().contains(role);
                if (status == 401 || (allowed && status == 403) || (!allowed && status != 403)) {
                    wrong.add(role + " " + p.method() + " " + p.url() + " -> " + status + " (expected " + (allowed ? "allowed" : "403") + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void grpcNeedsAServiceToken() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", 9081).usePlaintext().build();
        try {
            TransitionRequest approve = TransitionRequest.newBuilder().setTaskId(1).setAction("APPROVE").build();
            StatusRuntimeException none = assertThrowsGrpc(() -> ListingCommandsGrpc.newBlockingStub(channel).transition(approve));
            assertEquals(Status.Code.UNAUTHENTICATED, none.getStatus().getCode());
            StatusRuntimeException person = assertThrowsGrpc(() -> ListingCommandsGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(Logins.token("admin", 4100))))
                    .transition(approve));
            assertEquals(Status.Code.PERMISSION_DENIED, person.getStatus().getCode());
            StatusRuntimeException service = assertThrowsGrpc(() -> ListingCommandsGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(Logins.serviceToken("svc-audit"))))
                    .transition(approve));
            assertFalse(List.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED).contains(service.getStatus().getCode()),
                    "a service gets past authentication to the business answer: " + service.getStatus());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theRepositoryHoldsNoKeyMaterial() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Process git = new ProcessBuilder("git", "-C", repo.toString(), "ls-files").start();
        List<String> files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(files.size() > 100, "git ls-files listed the repository");
        List<String> keys = new ArrayList<>();
        for (String f : files) {
            Path p = repo.resolve(f);
            if (f.endsWith(".pem") || f.endsWith(".key") || f.endsWith(".jks") || f.endsWith(".p12")) {
                keys.add(f);
            } else if (Files.isRegularFile(p) && Files.size(p) < 2_000_000) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                if (text.contains("-----BEGIN " + "PRIVATE KEY") || text.contains("-----BEGIN " + "RSA PRIVATE KEY")
                        || text.contains("-----BEGIN " + "PUBLIC KEY")) {
                    keys.add(f);
                }
            }
        }
        assertEquals(List.of(), keys, "key material committed");
    }

    static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }

    static StatusRuntimeException assertThrowsGrpc(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    /** A token with every claim Keycloak would put in an admin's, signed by a key nobody trusts. */
    static String forgedAdmin() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        JwtClaims c = new JwtClaims();
        c.setIssuer(Logins.REALM);
        c.setAudience("marketops");
        c.setSubject("forged");
        c.setClaim("uid", "1");
        c.setStringListClaim("groups", List.of("admin"));
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(30);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(g.generateKeyPair().getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue("forged-kid");
        return jws.getCompactSerialization();
    }
}
