package dev.marketops.listing.catalogue.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Product change history settings ({@code marketops.history.*}). */
@ConfigMapping(prefix = "marketops.history")
public interface HistoryConfig {

    /** Record history on every catalogue change (off only to measure what it costs). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Field paths shown masked to callers without {@code history:sensitive}: a path matches when it
     * equals an entry or ends with "." + the entry (e.g. {@code face_value_cents} masks every SKU's).
     */
    @WithDefault("face_value_cents")
    List<String> sensitiveFields();

    /** Months of partitions kept ahead of now by the partition job. */
    @WithDefault("3")
    int monthsAhead();
}
