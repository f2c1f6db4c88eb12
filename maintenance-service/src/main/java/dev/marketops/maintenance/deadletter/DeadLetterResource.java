package dev.marketops.maintenance.deadletter;

import dev.marketops.platform.rest.Page;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import dev.marketops.platform.security.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The dead letters of every topic. Their payloads are the original events (prices, stock,
 * whole listings of any shop), so the list, and any replay or discard added here later, is
 * admin only (maintenance:dead-letters). Replay sends one or a selection back to the original
 * topic with its original key and headers; discard gives one up with a reason.
 */
@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.DEAD_LETTERS)
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

    /** One dead letter in full: its original headers too (values as base64), and what was done with it. */
    public record DeadLetterDetail(DeadLetterView deadLetter, List<HeaderView> headers, String replayTopic, int replayCount,
                                   String discardReason) {
    }

    public record HeaderView(String key, String valueBase64, String text) {
    }

    /** A selection: ids, or a filter (at most {@link DeadLetterReplayer#MAX_SELECTION} of the oldest matching). */
    public record Selection(List<String> ids, String topic, String originalTopic, String reason, String eventType,
                            String status) {
    }

    public record ReplayReply(List<ReplayedView> replayed) {
    }

    public record ReplayedView(String id, String topic, int partition, long offset) {
    }

    public record DiscardRequest(String reason) {
    }

    @Inject
    DeadLetterStore store;
    @Inject
    DeadLetterReplayer replayer;
    @Inject
    Caller caller;

    /** Filtered by the .dlq topic, status, original topic, error (reason, substring) and event type; newest first. */
    @GET
    public Page<DeadLetterView> list(@QueryParam("topic") String topic, @QueryParam("status") String status,
                                     @QueryParam("originalTopic") String originalTopic,
                                     @QueryParam("reason") String reason, @QueryParam("eventType") String eventType,
                                     @QueryParam("page") @DefaultValue("0") int page,
                                     @QueryParam("size") @DefaultValue("20") int size) {
        Page.check(page, size);
        Page<DeadLetter> found = store.page(filter(topic, status, originalTopic, reason, eventType), page, size);
        return new Page<>(found.items().stream().map(DeadLetterView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("/{id}")
    public DeadLetterDetail get(@PathParam("id") long id) {
        DeadLetter d = found(id);
        return new DeadLetterDetail(DeadLetterView.of(d), d.originalHeaders().stream().map(h -> new HeaderView(h.key(),
                h.value() == null ? null : Base64.getEncoder().encodeToString(h.value()),
                h.value() == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8))).toList(),
                d.replayTopic(), d.replayCount(), d.discardReason());
    }

    /** Counts per .dlq topic, original topic, error and status (what is failing, and how much is left). */
    @GET
    @Path("/counts")
    public List<DeadLetterStore.Count> counts() {
        return store.counts();
    }

    /** Sends one dead letter back to its original topic; replaying it again has no second effect. */
    @POST
    @Path("/{id}/replay")
    public ReplayReply replayOne(@PathParam("id") long id) {
        return reply(replayer.replay(List.of(found(id)), caller.userId()));
    }

    /** Sends a selection back (ids, or a filter; discarded ones refuse the request). */
    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public ReplayReply replay(Selection body) {
        if (body == null) {
            throw ApiProblem.missingField("ids");
        }
        List<Long> ids;
        if (body.ids() != null && !body.ids().isEmpty()) {
            if (body.ids().size() > DeadLetterReplayer.MAX_SELECTION) {
                throw ApiProblem.invalidField("ids", "at most " + DeadLetterReplayer.MAX_SELECTION + " per request", body.ids().size());
            }
            ids = new ArrayList<>();
            for (String s : body.ids()) {
                try {
                    ids.add(Long.parseLong(s.trim()));
                } catch (RuntimeException e) {
                    throw ApiProblem.invalidField("ids", "must be dead letter ids", s);
                }
            }
        } else {
            DeadLetterStore.Filter f = filter(body.topic(), body.status() == null ? "new" : body.status(), body.originalTopic(),
                    body.reason(), body.eventType());
            if (f.topic() == null && f.originalTopic() == null && f.reason() == null && f.eventType() == null) {
                throw ApiProblem.missingField("ids"); // no replay of everything by accident
            }
            ids = store.ids(f, DeadLetterReplayer.MAX_SELECTION);
        }
        List<DeadLetter> letters = store.findAll(ids);
        if (letters.size() < new java.util.HashSet<>(ids).size()) {
            java.util.Set<Long> missing = new java.util.HashSet<>(ids);
            letters.forEach(d -> missing.remove(d.id()));
            throw ApiProblem.notFound("UNKNOWN_DEAD_LETTER", "no dead letter " + missing.iterator().next())
                    .with("id", String.valueOf(missing.iterator().next()));
        }
        return reply(replayer.replay(letters, caller.userId()));
    }

    /** Gives a dead letter up, with the reason (required); it is kept, and can no longer be replayed. */
    @POST
    @Path("/{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    public DeadLetterDetail discard(@PathParam("id") long id, DiscardRequest body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw ApiProblem.missingField("reason");
        }
        if (!store.discard(id, body.reason().trim(), caller.userId())) {
            throw unknown(id);
        }
        return get(id);
    }

    private DeadLetter found(long id) {
        return store.find(id).orElseThrow(() -> unknown(id));
    }

    private static ApiProblem unknown(long id) {
        return ApiProblem.notFound("UNKNOWN_DEAD_LETTER", "no dead letter " + id).with("id", String.valueOf(id));
    }

    private static ReplayReply reply(List<DeadLetterReplayer.Replayed> done) {
        return new ReplayReply(done.stream().map(r -> new ReplayedView(String.valueOf(r.id()), r.topic(), r.partition(),
                r.offset())).toList());
    }

    private static DeadLetterStore.Filter filter(String topic, String status, String originalTopic, String reason,
                                                 String eventType) {
        if (status != null && !status.isBlank() && !DeadLetterStore.STATUSES.contains(status)) {
            throw ApiProblem.invalidField("status", "must be one of " + DeadLetterStore.STATUSES, status);
        }
        return new DeadLetterStore.Filter(blankToNull(topic), blankToNull(status), blankToNull(originalTopic),
                blankToNull(reason), blankToNull(eventType));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
