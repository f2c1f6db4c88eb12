package dev.marketops.publish.runner;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Claims sagas with an expired lease for this node and hands them to the runners. */
@ApplicationScoped
public class SagaRecoveryClaims {

    private static final Logger LOG = Logger.getLogger(SagaRecoveryClaims.class);
    private static final int CLAIM_LIMIT = 1_000;

    @Inject
    SagaStore store;
    @Inject
    SagaExecutor executor;
    @Inject
    RunnerNode node;

    @ConfigProperty(name = "marketops.publish.lease", defaultValue = "20s")
    Duration lease;

    public int claimAndRun() {
        if (!executor.hasCapacity()) {
            return 0; // claimed sagas would only wait in the queue while their lease runs down
        }
        List<SagaRun> claimed = store.claimExpired(node.newOwner(), lease, CLAIM_LIMIT);
        if (!claimed.isEmpty()) {
            LOG.infof("resuming %d saga(s) whose lease expired", claimed.size());
            executor.submit(claimed);
        }
        return claimed.size();
    }
}
