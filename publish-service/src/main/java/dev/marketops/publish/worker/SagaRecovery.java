package dev.marketops.publish.worker;

import dev.marketops.publish.runner.SagaRecoveryClaims;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Resumes sagas whose runner died (kill -9, OOM, lost node) or hung: every 2 s any replica
 * claims started/compensating sagas with an expired lease (SKIP LOCKED, so replicas never take
 * the same saga) and runs them from the step they had reached.
 */
@ApplicationScoped
public class SagaRecovery {

    @Inject
    SagaRecoveryClaims claims;

    @Scheduled(every = "${marketops.publish.recovery-every:2s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resumeExpired() {
        claims.claimAndRun();
    }
}
