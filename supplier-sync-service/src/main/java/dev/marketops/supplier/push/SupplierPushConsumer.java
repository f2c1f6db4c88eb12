package dev.marketops.supplier.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierDirectory;
import dev.marketops.supplier.sync.Ack;
import dev.marketops.supplier.sync.Channel;
import dev.marketops.supplier.sync.Incoming;
import dev.marketops.supplier.sync.SyncApplier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * SupplierPushConsumer: suppliers that publish to Kafka write JSON (external systems do not
 * share our proto) to {@code supplier.movie.updates} / {@code supplier.hotel.updates}:
 * {@code {"supplier": "CINEMA_ONE", "messageId": "...", "record": {...}}} (JSON Schema:
 * {@code supplier-update.schema.json}). Each poll is grouped by supplier and applied as one
 * page per supplier (idempotent by supplier + external id + version, so a redelivered poll
 * applies nothing twice). A malformed message, an unknown or disabled supplier, a supplier on
 * another's topic, or a record its adapter refuses goes to {@code supplier.updates.dlq} with
 * headers {@code dlq-reason-code} and {@code dlq-reason}; refused records are also recorded in
 * the supplier's failures.
 */
@ApplicationScoped
public class SupplierPushConsumer {

    private static final Logger LOG = Logger.getLogger(SupplierPushConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 5;

    /** Named in each dead letter (dlq-consumer-group): which consumer refused it, when several groups read the topics. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "mp.messaging.incoming.supplier-updates.group.id",
            defaultValue = "supplier-push-consumer")
    String group;
    @Inject
    SupplierDirectory directory;
    @Inject
    SyncApplier applier;
    @Inject
    @org.eclipse.microprofile.reactive.messaging.Channel("supplier-dead-letters")
    Emitter<String> deadLetters;

    @org.eclipse.microprofile.reactive.messaging.Incoming("supplier-updates")
    @Blocking(ordered = true)
    public void onUpdates(ConsumerRecords<String, String> records) throws InterruptedException {
        Map<String, List<Incoming>> bySupplier = new LinkedHashMap<>();
        Map<String, List<ConsumerRecord<String, String>>> sources = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode msg;
            try {
                msg = r.value() == null ? null : JSON.readTree(r.value());
            } catch (Exception e) {
                deadLetter(r, "MALFORMED", "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            if (msg == null || !msg.isObject() || !msg.path("supplier").isTextual() || !msg.path("record").isObject()) {
                deadLetter(r, "MALFORMED", "a message is {\"supplier\": \"<code>\", \"messageId\": \"...\", \"record\": {...}}");
                continue;
            }
            String code = msg.get("supplier").asText();
            Optional<Supplier> s = directory.find(code);
            if (s.isEmpty()) {
                deadLetter(r, "UNKNOWN_SUPPLIER", "no supplier " + code + " is registered");
                continue;
            }
            if (!s.get().enabled) {
                deadLetter(r, "SUPPLIER_DISABLED", "supplier " + code + " is disabled");
                continue;
            }
            if (s.get().pushTopic == null || !s.get().pushTopic.equals(r.topic())) {
                deadLetter(r, "WRONG_TOPIC", "supplier " + code + " publishes to " + s.get().pushTopic + ", not " + r.topic());
                continue;
            }
            JsonNode record = msg.get("record");
            String messageId = msg.path("messageId").asText(r.topic() + "/" + r.partition() + "/" + r.offset());
            bySupplier.computeIfAbsent(code, k -> new ArrayList<>()).add(new Incoming(messageId, "", -1, record.toString()));
            sources.computeIfAbsent(code, k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Incoming>> e : bySupplier.entrySet()) {
            Supplier s = directory.find(e.getKey()).orElseThrow();
            List<Ack> acks = applyWithRetry(s, e.getValue());
            List<ConsumerRecord<String, String>> src = sources.get(e.getKey());
            for (int i = 0; i < acks.size(); i++) {
                Ack a = acks.get(i);
                if (!a.accepted()) {
                    deadLetter(src.get(i), a.reasonCode(), a.field() == null ? a.reason() : a.field() + ": " + a.reason(), a.field());
                }
            }
        }
    }

    private List<Ack> applyWithRetry(Supplier s, List<Incoming> page) throws InterruptedException {
        long pause = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                return applier.apply(s, Channel.KAFKA, 0, page);
            } catch (SyncApplier.PageNotApplied e) {
                if (attempt >= ATTEMPTS) {
                    LOG.errorf("supplier %s: a Kafka page of %d was not applied after %d attempts: %s", s.code, page.size(), attempt,
                            e.getMessage());
                    return page.stream().map(in -> Ack.rejected(in, null, "UNAVAILABLE", e.getMessage())).toList();
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 5000);
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, String> r, String code, String reason) {
        deadLetter(r, code, reason, null);
    }

    private void deadLetter(ConsumerRecord<String, String> r, String code, String reason, String field) {
        RecordHeaders headers = new RecordHeaders();
        if (field != null) {
            headers.add("dlq-field", field.getBytes(StandardCharsets.UTF_8));
        }
        headers.add("dlq-reason-code", code.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-original-topic", r.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-original-offset", (r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-consumer-group", group.getBytes(StandardCharsets.UTF_8));
        deadLetters.send(Message.of(r.value() == null ? "" : r.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(r.key()).withHeaders(headers).build()));
        LOG.debugf("dead-lettered %s/%d/%d: %s %s", r.topic(), r.partition(), r.offset(), code, reason);
    }
}
