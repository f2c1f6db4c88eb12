package dev.marketops.maintenance.lifecycle;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The lifecycle jobs' notion of "now" (which month it is, what is past retention): a bean, so a
 * test can stand in a clock of its own and walk the jobs across months.
 */
@ApplicationScoped
public class Clocks {

    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
