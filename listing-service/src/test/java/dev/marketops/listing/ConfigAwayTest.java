package dev.marketops.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTaskResult;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * config-service does not answer: a draft that needs its category is refused with
 * CONFIG_UNAVAILABLE marked retryable (a batch tries such a row again later instead of failing it
 * for good), while a draft that is wrong in itself is refused as not retryable.
 */
@QuarkusTest
@TestProfile(ConfigAwayTest.ConfigAway.class)
class ConfigAwayTest {

    public static class ConfigAway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String port = String.valueOf(closedPort());
            return Map.of("quarkus.grpc.clients.config.port", port, "quarkus.grpc.clients.config.test-port", port);
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true; // not the real config-service the other tests start
        }

        private static int closedPort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;

    @Test
    void aDraftRefusedBecauseConfigServiceIsAwayIsRetryable() {
        String key = UUID.randomUUID().toString();
        List<CreateTaskResult> results = grpc.createTasks(CreateTasksRequest.newBuilder().setTaskType("batch_import")
                .addTasks(CreateTaskRequest.newBuilder().setRequestId(key + "-1").setCategoryId(SampleListings.DEAL)
                        .setTitle("Voucher while config-service is away").setSourceType("excel_batch").setSourceUserType("operator")
                        .setShopId(TestCallers.HARBOUR_DEALS).setCreatorId(7).setItemDataJson("{}"))
                .addTasks(CreateTaskRequest.newBuilder().setRequestId(key + "-2").setCategoryId(SampleListings.DEAL)
                        .setSourceType("excel_batch").setSourceUserType("operator") // no title
                        .setShopId(TestCallers.HARBOUR_DEALS).setCreatorId(7).setItemDataJson("{}"))
                .build()).getResultsList();

        assertEquals(0, results.get(0).getTaskId(), results.toString());
        assertEquals("CONFIG_UNAVAILABLE", results.get(0).getErrorCode(), results.toString());
        assertTrue(results.get(0).getRetryable(), results.toString());
        assertEquals(0, results.get(1).getTaskId(), results.toString());
        assertFalse(results.get(1).getRetryable(), results.toString());
    }
}
