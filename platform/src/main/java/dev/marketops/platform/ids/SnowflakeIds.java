package dev.marketops.platform.ids;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 64-bit, time-ordered ids (task_code, batch_code, ...) unique across replicas without a
 * database round trip: 41 bits of milliseconds since 2026-01-01, 10 bits of worker id,
 * 12 bits of sequence (4,096 ids per millisecond per worker).
 */
@ApplicationScoped
public class SnowflakeIds {

    static final long EPOCH_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final int WORKER_BITS = 10;
    static final int SEQUENCE_BITS = 12;
    static final long MAX_WORKER = (1L << WORKER_BITS) - 1;
    static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    private final long workerId;
    private long lastMillis = -1;
    private long sequence;

    public SnowflakeIds(@ConfigProperty(name = "marketops.worker-id", defaultValue = "-1") long configured) {
        this.workerId = resolveWorkerId(configured, System.getenv("HOSTNAME"));
    }

    /**
     * An explicit id wins; otherwise the StatefulSet pod ordinal ("listing-service-3" -> 3);
     * otherwise a hash of the host name, which is good enough for a developer machine.
     */
    static long resolveWorkerId(long configured, String hostname) {
        if (configured >= 0) {
            if (configured > MAX_WORKER) {
                throw new IllegalArgumentException("marketops.worker-id must be 0.." + MAX_WORKER + ", was " + configured);
            }
            return configured;
        }
        if (hostname != null && !hostname.isBlank()) {
            int dash = hostname.lastIndexOf('-');
            if (dash >= 0 && dash < hostname.length() - 1) {
                try {
                    return Long.parseLong(hostname.substring(dash + 1)) & MAX_WORKER;
                } catch (NumberFormatException ignored) {
                    // not an ordinal: fall through to the hash
                }
            }
            return (hostname.hashCode() & 0x7fffffff) % (MAX_WORKER + 1);
        }
        return ProcessHandle.current().pid() & MAX_WORKER;
    }

    public long workerId() {
        return workerId;
    }

    public synchronized long nextId() {
        long now = System.currentTimeMillis();
        if (now < lastMillis) {
            // Clock went backwards (NTP step): keep issuing from the last instant rather than repeat ids.
            now = lastMillis;
        }
        if (now == lastMillis) {
            sequence = (sequence + 1) & SEQUENCE_MASK;
            if (sequence == 0) {
                now = waitNextMillis(lastMillis);
            }
        } else {
            sequence = 0;
        }
        lastMillis = now;
        return ((now - EPOCH_MILLIS) << (WORKER_BITS + SEQUENCE_BITS)) | (workerId << SEQUENCE_BITS) | sequence;
    }

    /** A readable code such as {@code LT_20261122_123456789} built on a fresh id. */
    public String nextCode(String prefix) {
        long id = nextId();
        java.time.LocalDate day = java.time.Instant.ofEpochMilli(timestampOf(id)).atZone(java.time.ZoneOffset.UTC).toLocalDate();
        return prefix + "_" + day.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "_" + id;
    }

    public static long timestampOf(long id) {
        return (id >>> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS;
    }

    private static long waitNextMillis(long last) {
        long now = System.currentTimeMillis();
        while (now <= last) {
            Thread.onSpinWait();
            now = System.currentTimeMillis();
        }
        return now;
    }
}
