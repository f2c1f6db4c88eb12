package dev.marketops.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.Scrape;
import io.agroal.api.AgroalDataSource;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seed's outbox metrics as Prometheus scrapes them: pending rows per event type (types seen
 * before stay at 0) and the relay's success rate, labelled by service. The rows are in a session's
 * temporary outbox_event (it shadows the schema's table), so this service's running relay does not
 * send them.
 */
@QuarkusTest
class OutboxMetricsTest {

    @Inject
    AgroalDataSource ds;

    @Test
    void pendingRowsPerEventTypeAndTheSuccessRateAreScrapedWithTheirLabels() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OutboxMetrics metrics = new OutboxMetrics(registry, "probe");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE outbox_event (LIKE outbox_event INCLUDING ALL)");
            try {
                st.execute("""
                        INSERT INTO outbox_event (event_id, topic, msg_key, event_type, payload, sent_at) VALUES
                          ('e1', 't', 'k', 'created', '\\x00', NULL), ('e2', 't', 'k', 'created', '\\x00', NULL),
                          ('e3', 't', 'k', 'approved', '\\x00', NULL), ('e4', 't', 'k', 'published', '\\x00', now())""");
                metrics.refreshIfDue(c);
                Scrape s = Scrape.parse(registry.scrape());
                assertEquals(Set.of("event_type", "service"), s.labelNames("outbox_pending_count"));
                assertEquals(2.0, s.sum("outbox_pending_count", "service", "probe", "event_type", "created"));
                assertEquals(1.0, s.sum("outbox_pending_count", "service", "probe", "event_type", "approved"));
                assertEquals(1, s.find("outbox_pending_count", "event_type", "published").size(), "a type sent lately is shown at 0");
                assertEquals(0.0, s.sum("outbox_pending_count", "event_type", "published"));
                assertEquals(1.0, s.sum("outbox_publish_success_rate", "service", "probe"), "nothing attempted yet");

                metrics.sent("created", 1);
                metrics.sent("created", 1);
                metrics.sent("approved", 1);
                metrics.failed();
                assertEquals(0.75, Scrape.parse(registry.scrape()).sum("outbox_publish_success_rate", "service", "probe"));
            } finally {
                st.execute("DROP TABLE pg_temp.outbox_event");
            }
        }
    }
}
