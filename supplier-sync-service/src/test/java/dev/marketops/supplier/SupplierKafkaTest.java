package dev.marketops.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Push over Kafka with Debian's kcat as the supplier's producer (a client nobody here wrote):
 * JSON messages on supplier.hotel.updates become listings; a duplicate applies nothing; a
 * malformed message, an unknown supplier and a supplier on another's topic land on
 * supplier.updates.dlq with their reason.
 */
@QuarkusTest
class SupplierKafkaTest {

    static final String BROKER = "127.0.0.1:9092";

    @Inject
    AgroalDataSource ds;

    @Test
    void kcatMessagesAreAppliedOnceAndBadOnesAreDeadLetteredWithTheirReason() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ext = "KH-" + run;
        String good = envelope("HOTEL_ONE", "k1-" + run, SupplierRecords.hotel(ext, 1, 399, 4));
        List<String> hotelTopic = List.of(
                good,
                good, // redelivered / sent twice
                "{oops " + run,
                envelope("NOBODY_" + run, "k3-" + run, SupplierRecords.hotel("KX-" + run, 1, 399, 4)),
                envelope("CINEMA_ONE", "k4-" + run, SupplierRecords.movie("KM-" + run, 1, 45, 2, "scheduled")),
                envelope("HOTEL_ONE", "k5-" + run, SupplierRecords.hotel("KB-" + run, 1, 399, 4).replace("\"allotment\": 4", "\"allotment\": -1")));
        kcat(List.of("-P", "-b", BROKER, "-t", "supplier.hotel.updates", "-K", "\t"), hotelTopic.stream().map(m -> "HOTEL_ONE\t" + m).toList());

        SupplierPushTest.await("the hotel room is registered with its listing task",
                () -> count("SELECT count(*) FROM supplier_item WHERE supplier_code = 'HOTEL_ONE' AND external_id = '" + ext
                        + "' AND task_id IS NOT NULL") == 1);
        SupplierPushTest.await("four messages are dead-lettered", () -> deadLetters(run).size() >= 4);
        List<String> dlq = deadLetters(run);
        String all = String.join("\n", dlq);
        assertTrue(all.contains("dlq-reason-code=MALFORMED"), all);
        assertTrue(all.contains("dlq-reason-code=UNKNOWN_SUPPLIER"), all);
        assertTrue(all.contains("dlq-reason-code=WRONG_TOPIC"), all);
        assertTrue(all.contains("dlq-reason-code=INVALID_FIELD"), all);
        assertTrue(all.contains("dlq-field=calendar[0].allotment"), all);
        assertEquals(4, dlq.size(), all);
        // the duplicate created nothing more: one item row, version 1
        assertEquals(1, count("SELECT count(*) FROM supplier_item WHERE supplier_code = 'HOTEL_ONE' AND external_id = '" + ext + "'"));
    }

    static String envelope(String supplier, String messageId, String record) {
        return ("{\"supplier\": \"" + supplier + "\", \"messageId\": \"" + messageId + "\", \"record\": " + record + "}")
                .replace("\n", " ");
    }

    /** The dead letters of this run, as "headers | value" lines (kcat as consumer). */
    private static List<String> deadLetters(String run) {
        try {
            String out = kcat(List.of("-C", "-b", BROKER, "-t", "supplier.updates.dlq", "-o", "beginning", "-e", "-q",
                    "-f", "%h | %s\\n"), List.of());
            List<String> mine = new ArrayList<>();
            // only this test consumer's dead letters: a running fleet's consumer reads the same topics
            out.lines().filter(l -> l.contains(run) && l.contains("dlq-consumer-group=supplier-push-consumer-test")).forEach(mine::add);
            return mine;
        } catch (Exception e) {
            return List.of();
        }
    }

    static String kcat(List<String> args, List<String> stdin) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("kcat");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            for (String line : stdin) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kcat " + args + " failed: " + out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private long count(String sql) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
