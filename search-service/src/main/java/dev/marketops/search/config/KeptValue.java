package dev.marketops.search.config;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A value another service owns, kept here for a while: answered at once while it is fresh, fetched
 * again without blocking a thread when it is not, and the last value kept when that fetch fails.
 * Requests that find it stale at the same moment each fetch (as many as arrive within one fetch).
 */
public final class KeptValue<T> {

    private record Snapshot<T>(T value, long expiresAt) {
    }

    private final Duration ttl;
    private final Supplier<Uni<T>> fetch;
    private volatile Snapshot<T> current;

    public KeptValue(Duration ttl, Supplier<Uni<T>> fetch) {
        this.ttl = ttl;
        this.fetch = fetch;
    }

    /**
     * The value. A failed fetch answers the last value, or {@code withoutValue} of the failure when
     * there has been none (which may throw, to fail the read).
     */
    public Uni<T> get(Function<Throwable, T> withoutValue, Consumer<Throwable> onKept) {
        Snapshot<T> s = current;
        long now = System.currentTimeMillis();
        if (s != null && s.expiresAt() > now) {
            return Uni.createFrom().item(s.value());
        }
        return fetch.get()
                .invoke(fresh -> current = new Snapshot<>(fresh, now + ttl.toMillis()))
                .onFailure().recoverWithItem(e -> {
                    if (s == null) {
                        return withoutValue.apply(e);
                    }
                    onKept.accept(e);
                    return s.value();
                });
    }
}
