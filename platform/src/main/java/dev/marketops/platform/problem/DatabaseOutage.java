package dev.marketops.platform.problem;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a lost or refused database connection (the server restarting, failing over, out of
 * connection slots) from a real error: callers should answer it as "unavailable, try again" (gRPC
 * UNAVAILABLE, HTTP 503), which every caller in the platform waits out, instead of an internal
 * error that a saga or a batch takes for a verdict on the work itself.
 */
public final class DatabaseOutage {

    public static final String CODE = "DATABASE_UNAVAILABLE";

    private DatabaseOutage() {
    }

    /** The outage's SQLSTATE and message when {@code e} or one of its causes is one. */
    public static Optional<String> of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isOutage(sql.getSQLState())) {
                return Optional.of(sql.getSQLState() + " " + sql.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect
     * now: a server stopping or starting), 53300 (too many connections).
     */
    static boolean isOutage(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }
}
