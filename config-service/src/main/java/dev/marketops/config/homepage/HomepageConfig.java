package dev.marketops.config.homepage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where a published homepage goes and how readers keep it (main seed 4.6.1). */
@ConfigMapping(prefix = "marketops.homepage")
public interface HomepageConfig {

    /** Copies of each group's Redis key; readers pick one by user id, so one hot key becomes N (seed: 100). */
    @WithDefault("100")
    int copies();

    /** Redis key prefix; a copy is {@code <prefix><groupId>:<copy>}. */
    @WithDefault("marketops:homepage:")
    String redisPrefix();

    /** Life of the Redis copies; every publish rewrites them, and a miss falls back to the static file. */
    @WithDefault("PT24H")
    Duration redisTtl();

    /** Directory of the static files (the gateway's / CDN origin's document root for /static/config/). */
    @WithDefault(".local/static/config")
    String staticDir();

    /** Life of a reader's in-process copy; a publish drops it earlier (Redis channel below). */
    @WithDefault("PT1S")
    Duration localTtl();

    /** Redis pub/sub channel on which ConfigPublishWorker tells every reader that a group changed. */
    @WithDefault("marketops:homepage:published")
    String refreshChannel();

    /** How often due scheduled publishes are looked for (HomepageScheduleJob reads it as its interval). */
    @WithDefault("5s")
    String scheduleEvery();
}
