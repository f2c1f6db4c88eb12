package dev.marketops.maintenance.deadletter;

import dev.marketops.platform.rest.Page;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.Base64;

@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    /** The payload is protobuf (binary), so it travels as base64. */
    public record DeadLetterView(long id, String topic, int partition, long offset, String key, String eventId,
                                 String eventType, String reason, String cause, String originalTopic,
                                 Integer originalPartition, Long originalOffset, String payloadBase64,
                                 OffsetDateTime receivedAt, String status) {
        static DeadLetterView of(DeadLetter d) {
            return new DeadLetterView(d.id(), d.topic(), d.partition(), d.offset(), d.key(), d.eventId(),
                    d.eventType(), d.reason(), d.cause(), d.originalTopic(), d.originalPartition(),
                    d.originalOffset(), d.payload() == null ? null : Base64.getEncoder().encodeToString(d.payload()),
                    d.receivedAt(), d.status());
        }
    }

    @Inject
    DeadLetterStore store;

    @GET
    public Page<DeadLetterView> list(@QueryParam("topic") String topic, @QueryParam("status") String status,
                                     @QueryParam("page") @DefaultValue("0") int page,
                                     @QueryParam("size") @DefaultValue("20") int size) {
        Page.check(page, size);
        if (status != null && !DeadLetterStore.STATUSES.contains(status)) {
            throw ApiProblem.invalidField("status", "must be one of " + DeadLetterStore.STATUSES, status);
        }
        Page<DeadLetter> found = store.page(blankToNull(topic), status, page, size);
        return new Page<>(found.items().stream().map(DeadLetterView::of).toList(), page, size, found.total());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
