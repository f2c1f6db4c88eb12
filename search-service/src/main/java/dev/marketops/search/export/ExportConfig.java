package dev.marketops.search.export;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** marketops.search.export.*: the product list exports. */
@ConfigMapping(prefix = "marketops.search.export")
public interface ExportConfig {

    /** The most rows one export may hold; a larger result is refused (400 at request, FAILED if it grew since). */
    @WithDefault("100000")
    long maxRows();

    /** The most item ids one selection may name. */
    @WithDefault("10000")
    int maxSelection();

    /** A RUNNING job whose heartbeat is older than this is taken to be dead and claimed again. */
    @WithDefault("PT2M")
    Duration staleAfter();

    /** How often a replica looks for queued jobs (the scheduler's syntax: 2s, 500ms). */
    @WithDefault("2s")
    String poll();

    /** Finished jobs (DONE or FAILED) and their files are deleted this long after they finished. */
    @WithDefault("P7D")
    Duration retention();

    /** How often the purge of expired jobs runs, once per cluster (the scheduler's syntax). */
    @WithDefault("1h")
    String purgeEvery();

    /** false on a replica that should leave the jobs to others (a pure API pod). */
    @WithDefault("true")
    boolean enabled();
}
