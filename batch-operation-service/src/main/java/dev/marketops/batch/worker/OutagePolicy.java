package dev.marketops.batch.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long a batch waits out an outage of the service that owns its data (its chunks are put
 * back and tried again with growing pauses) before the rows still open fail as
 * UPSTREAM_UNAVAILABLE; such a batch can be resumed through REST.
 */
@ConfigMapping(prefix = "marketops.batch.outage")
public interface OutagePolicy {

    /** How long an outage may last, from the first refused call, before the open rows fail. */
    @WithDefault("10m")
    Duration budget();

    /** The pause before the first try again; doubled each time up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

    /** The pause after {@code retries} put-backs in a row. */
    default Duration backoff(int retries) {
        long ms = initialBackoff().toMillis() << Math.min(20, Math.max(0, retries));
        return Duration.ofMillis(Math.min(ms, maxBackoff().toMillis()));
    }
}
