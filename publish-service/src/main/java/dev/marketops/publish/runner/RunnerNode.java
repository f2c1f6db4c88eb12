package dev.marketops.publish.runner;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.UUID;

/**
 * Lease owners. Every hand-over of sagas to a runner (created by a worker, claimed by recovery,
 * restarted by an operator) gets an owner token of its own, so that if recovery takes over a
 * saga whose group waited too long in a queue, the late original run loses its lease and drops
 * out at its next write, also within one process. A restarted process has new tokens (the random
 * part), so its crashed predecessor's sagas are resumed only once their leases expire.
 */
@ApplicationScoped
public class RunnerNode {

    private final String id = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "local") + "/"
            + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);

    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();

    public String id() {
        return id;
    }

    /** A fresh lease owner for one hand-over of sagas. */
    public String newOwner() {
        return id + "#" + runs.incrementAndGet();
    }
}
