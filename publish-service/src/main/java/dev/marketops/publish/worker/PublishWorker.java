package dev.marketops.publish.worker;

import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.publish.runner.SagaRun;
import dev.marketops.publish.runner.SagaStarter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * PublishWorker (main seed 5.6 / 9.7): each approved task on listing.publish.ready gets one
 * publish saga. A poll's tasks are taken together: their saga rows are written with one
 * statement in the same transaction as the events' dedupe rows, and after commit they run as one
 * group on a saga runner thread (each step one catalogue call for all of them), not on the
 * consumer thread. A lone approval is a group of one and starts at once.
 */
@ApplicationScoped
public class PublishWorker {

    static final String CONSUMER = "publish-worker";

    @Inject
    EventConsumer consumer;
    @Inject
    SagaStarter sagas;

    @Incoming("publish-ready")
    @Blocking(value = "publish-worker-pool", ordered = false)
    public void onApproved(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        List<SagaRun> created = consumer.processAllAndCollect(CONSUMER, list, fresh -> {
            Map<Long, List<Long>> byBatch = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> r : fresh) {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                byBatch.computeIfAbsent(e.getBatchId(), b -> new ArrayList<>()).add(e.getTaskId());
            }
            List<SagaRun> runs = new ArrayList<>();
            for (Map.Entry<Long, List<Long>> b : byBatch.entrySet()) {
                runs.addAll(sagas.create(b.getValue(), b.getKey() == 0 ? null : b.getKey()));
            }
            return runs;
        }).results();
        sagas.run(created);
    }
}
