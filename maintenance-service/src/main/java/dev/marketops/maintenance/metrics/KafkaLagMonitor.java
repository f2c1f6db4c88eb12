package dev.marketops.maintenance.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Kafka consumer lag per group and topic for the whole platform (main seed 8.1: backlog < 1,000,
 * alert > 5,000): {@code kafka_consumer_group_lag{group, topic}}, the sum over the topic's
 * partitions of the end offset minus the group's committed offset. The client-side fetch metrics
 * of each consumer only know their own assignment and vanish with the consumer; the committed
 * offsets are what a restarted consumer resumes from, so the lag is read from the brokers here,
 * once for every group. A group or topic that disappears keeps its series at 0.
 */
@ApplicationScoped
public class KafkaLagMonitor {

    private static final Logger LOG = Logger.getLogger(KafkaLagMonitor.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "marketops.kafka-lag.enabled", defaultValue = "true")
    boolean enabled;
    @Inject
    MeterRegistry meters;

    private final Map<List<String>, AtomicLong> lags = new ConcurrentHashMap<>();
    private volatile Admin admin;

    @Scheduled(every = "${marketops.kafka-lag.every:30s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (!enabled) {
            return;
        }
        try {
            Map<List<String>, Long> fresh = read();
            fresh.forEach((key, lag) -> gauge(key).set(lag));
            lags.forEach((key, value) -> {
                if (!fresh.containsKey(key)) {
                    value.set(0);
                }
            });
        } catch (Exception e) {
            LOG.warnf("Kafka consumer lag not read: %s", e.getMessage());
        }
    }

    /** Lag per (group, topic), summed over partitions. */
    public Map<List<String>, Long> read() throws Exception {
        Admin a = admin();
        Map<List<String>, Long> out = new HashMap<>();
        for (ConsumerGroupListing g : a.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.forEach((tp, om) -> {
                if (om != null) {
                    latest.put(tp, OffsetSpec.latest());
                }
            });
            if (latest.isEmpty()) {
                continue;
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = a.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            ends.forEach((tp, end) -> out.merge(List.of(g.groupId(), tp.topic()),
                    Math.max(0, end.offset() - committed.get(tp).offset()), Long::sum));
        }
        return out;
    }

    private AtomicLong gauge(List<String> key) {
        return lags.computeIfAbsent(key, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("kafka_consumer_group_lag", v, AtomicLong::get)
                    .description("records behind the end of the topic, per consumer group")
                    .tag("group", k.get(0)).tag("topic", k.get(1)).register(meters);
            return v;
        });
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties p = new Properties();
                    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "maintenance-lag-monitor");
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                    admin = Admin.create(p);
                }
            }
        }
        return admin;
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
