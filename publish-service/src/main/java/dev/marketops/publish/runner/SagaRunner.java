package dev.marketops.publish.runner;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drives a group of sagas (one task, or a chunk of a batch) to their end: each step is one
 * catalogue call for every saga at that step, and one statement records the outcome of all of
 * them. Sagas failing a step leave the group and are compensated (reverse order, also as a
 * group per step) while the others continue. Transient failures are retried with backoff.
 * Sagas resumed after a crash join at whatever step they had reached: every catalogue step is
 * idempotent, so re-running the step that was in flight is safe.
 */
@ApplicationScoped
public class SagaRunner {

    private static final Logger LOG = Logger.getLogger(SagaRunner.class);

    @Inject
    SagaStore store;
    @Inject
    PublishGateway gateway;
    @Inject
    MeterRegistry meters;
    @Inject
    dev.marketops.publish.metrics.SagaMetrics sagaMetrics;

    @ConfigProperty(name = "marketops.publish.lease", defaultValue = "20s")
    Duration lease;
    @ConfigProperty(name = "marketops.publish.step-attempts", defaultValue = "3")
    int maxAttempts;
    @ConfigProperty(name = "marketops.publish.backoff-millis", defaultValue = "100")
    long backoffMillis;
    /**
     * How long a saga waits out an outage of the service a step calls (counted from its last
     * progress) before it gives up and compensates. While waiting it is parked: it keeps its
     * state, its lease runs out and SagaRecovery runs it again (a pause of one lease each time).
     */
    @ConfigProperty(name = "marketops.publish.outage-budget", defaultValue = "10m")
    Duration outageBudget;
    /**
     * The saga's steps in one RunSteps call for the sagas due at a step together (that step through
     * complete_task), each saga's leading run of passed steps recorded in one statement; off: one call per step.
     */
    @ConfigProperty(name = "marketops.publish.combined-steps", defaultValue = "true")
    boolean combinedSteps;
    /** Fault injection for crash tests only (see application.properties). */
    @ConfigProperty(name = "marketops.publish.crash-after-step", defaultValue = "")
    java.util.Optional<String> crashAfterStep;
    /** Narrows the hook to one task's saga (crash tests on a shared topic, where other sagas may run too). */
    @ConfigProperty(name = "marketops.publish.crash-task-id")
    java.util.Optional<Long> crashTaskId;

    /** Runs a group handed over together (all with the same lease owner token). */
    public void run(List<SagaRun> group) {
        String owner = group.get(0).owner;
        List<SagaRun> live = new ArrayList<>(group);
        Map<SagaRun, Map<SagaStep, StepOutcome>> ahead = new IdentityHashMap<>();
        for (SagaStep step : SagaStep.values()) {
            List<SagaRun> due = live.stream().filter(r -> !r.compensating && r.done == step.no - 1).toList();
            if (!due.isEmpty() && combinedSteps) {
                List<SagaRun> lost = new ArrayList<>();
                due = skipAhead(step, due, owner, ahead, lost);
                live.removeAll(lost);
            }
            if (!due.isEmpty()) {
                live.removeAll(forward(step, due, owner, ahead));
            }
        }
        List<SagaRun> toUndo = live.stream().filter(r -> r.compensating).toList();
        if (!toUndo.isEmpty()) {
            compensate(toUndo, owner);
        }
    }

    /**
     * Runs one step for these sagas; answers the sagas that left the run (lease lost). {@code ahead}:
     * outcomes of later steps that a combined call already has (taken, and filled when missing).
     */
    private List<SagaRun> forward(SagaStep step, List<SagaRun> due, String owner, Map<SagaRun, Map<SagaStep, StepOutcome>> ahead) {
        List<SagaRun> lost = new ArrayList<>();
        List<SagaRun> pending = due;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            // Sagas that succeeded at the previous step in this run had this step begun (and their
            // lease renewed) by that step's record; the others begin here.
            int stepNo = step.no;
            List<SagaRun> unbegun = attempt > 1 ? pending : pending.stream().filter(r -> r.begun != stepNo).toList();
            if (!unbegun.isEmpty()) {
                Set<Long> mine = store.begin(step, unbegun, false, owner, lease);
                List<SagaRun> lostNow = unbegun.stream().filter(r -> !mine.contains(r.sagaId)).toList();
                lost.addAll(lostNow);
                if (!lostNow.isEmpty()) {
                    pending = pending.stream().filter(r -> !lostNow.contains(r)).toList();
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            List<StepOutcome> outcomes;
            if (attempt == 1 && combinedSteps) {
                outcomes = ahead(step, pending, ahead);
            } else {
                Timer.Sample sample = Timer.start(meters);
                outcomes = gateway.execute(step, pending);
                sample.stop(meters.timer("saga_step_duration_seconds", "step_name", step.wire, "action", "execute"));
            }

            List<SagaRun> ok = new ArrayList<>(), failed = new ArrayList<>(), retrying = new ArrayList<>();
            List<String> failedErrors = new ArrayList<>(), retryErrors = new ArrayList<>();
            List<SagaRun> parked = new ArrayList<>(), outaged = new ArrayList<>();
            List<String> parkErrors = new ArrayList<>(), outageErrors = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                SagaRun run = pending.get(i);
                StepOutcome o = outcomes.get(i);
                if (o.ok()) {
                    if (step == SagaStep.CREATE_ITEM) {
                        run.itemId = o.itemId();
                    }
                    ok.add(run);
                } else if (o.retryable() && attempt < maxAttempts) {
                    retrying.add(run);
                    retryErrors.add(o.error());
                } else if (o.outage()) {
                    outaged.add(run);
                    outageErrors.add(o.error());
                } else {
                    run.failAt(step, step.wire + ": " + o.error());
                    failed.add(run);
                    failedErrors.add(run.error);
                }
            }
            if (!outaged.isEmpty()) {
                Set<Long> patient = store.progressedWithin(outaged.stream().map(r -> r.sagaId).toList(), outageBudget);
                for (int i = 0; i < outaged.size(); i++) {
                    SagaRun run = outaged.get(i);
                    if (patient.contains(run.sagaId)) {
                        parked.add(run);
                        parkErrors.add("waiting out an outage: " + outageErrors.get(i));
                    } else {
                        run.failAt(step, step.wire + ": outage longer than " + outageBudget.toSeconds() + " s: " + outageErrors.get(i));
                        failed.add(run);
                        failedErrors.add(run.error);
                    }
                }
            }
            List<SagaRun> again = new ArrayList<>(retrying);
            again.addAll(parked);
            List<String> againErrors = new ArrayList<>(retryErrors);
            againErrors.addAll(parkErrors);
            Set<Long> recorded = store.recordForward(step, ok, failed, failedErrors, again, againErrors, owner, lease);
            if (!parked.isEmpty()) {
                // no fault of theirs: they leave this run as they are; recovery resumes them when the lease ends
                LOG.warnf("%d saga(s) parked at %s: %s", parked.size(), step.wire, parkErrors.get(0));
                meters.counter("saga_step_outages_total", "step_name", step.wire).increment(parked.size());
                lost.addAll(parked);
            }
            for (SagaRun run : ok) {
                if (recorded.contains(run.sagaId)) {
                    run.done = step.no;
                    run.begun = step.no + 1;
                } else {
                    lost.add(run);
                }
            }
            if (!failed.isEmpty()) {
                LOG.warnf("%d saga(s) failed at %s, compensating; first: task %d: %s", failed.size(), step.wire,
                        failed.get(0).taskId, failed.get(0).error);
                meters.counter("saga_step_failures_total", "step_name", step.wire).increment(failed.size());
            }
            if (step.no == SagaStep.COUNT) {
                sagaMetrics.executions(ok.stream().filter(r -> recorded.contains(r.sagaId)).map(r -> r.taskId).toList(), "success");
            }
            if (crashAfterStep.filter(step.wire::equals).isPresent()
                    && ok.stream().anyMatch(r -> crashTaskId.map(t -> t == r.taskId).orElse(true))) {
                // Fault injection (crash tests only): die as kill -9 would, right after the step is persisted.
                LOG.errorf("marketops.publish.crash-after-step=%s: halting the JVM", step.wire);
                Runtime.getRuntime().halt(137);
            }
            pending = retrying;
            if (!pending.isEmpty()) {
                sleep(backoffMillis << (attempt - 1));
            }
        }
        return lost;
    }

    /**
     * The combined path for sagas due at a step: this step and every later step in one call
     * ({@link #fetchAhead}), then the leading run of steps each saga passed recorded in one statement.
     * Answers the sagas that failed this step (still due here: {@link #forward} takes their outcome
     * from {@code ahead}); {@code lost} gets the sagas another runner holds now.
     */
    private List<SagaRun> skipAhead(SagaStep step, List<SagaRun> due, String owner, Map<SagaRun, Map<SagaStep, StepOutcome>> ahead,
                                    List<SagaRun> lost) {
        List<SagaRun> unbegun = due.stream().filter(r -> r.begun != step.no).toList();
        if (!unbegun.isEmpty()) {
            Set<Long> mine = store.begin(step, unbegun, false, owner, lease);
            for (SagaRun r : unbegun) {
                if (mine.contains(r.sagaId)) {
                    r.begun = step.no;
                } else {
                    lost.add(r);
                }
            }
            due = due.stream().filter(r -> !lost.contains(r)).toList();
        }
        fetchAhead(step, due, ahead);
        List<SagaRun> passed = new ArrayList<>(), stay = new ArrayList<>();
        List<Integer> through = new ArrayList<>();
        for (SagaRun r : due) {
            Map<SagaStep, StepOutcome> a = ahead.get(r);
            // with the crash hook aimed at this saga, the record stops at the named step (then the JVM halts)
            int hooked = crashStepOf(r);
            int last = hooked != 0 ? hooked : SagaStep.COUNT;
            int j = step.no - 1;
            while (j < last && a.get(SagaStep.of(j + 1)) != null && a.get(SagaStep.of(j + 1)).ok()) {
                j++;
            }
            if (j >= step.no) {
                passed.add(r);
                through.add(j);
            } else {
                stay.add(r);
            }
        }
        if (passed.isEmpty()) {
            return stay;
        }
        long[] items = passed.stream().mapToLong(r -> r.itemId != 0 ? r.itemId : ahead.get(r).get(step).itemId()).toArray();
        Set<Long> recorded = store.recordThrough(step, passed, items, through.stream().mapToInt(Integer::intValue).toArray(), owner, lease);
        boolean crash = false;
        for (int i = 0; i < passed.size(); i++) {
            SagaRun r = passed.get(i);
            if (!recorded.contains(r.sagaId)) {
                lost.add(r);
                continue;
            }
            r.itemId = items[i];
            for (int no = step.no; no <= through.get(i); no++) {
                ahead.get(r).remove(SagaStep.of(no));
            }
            r.done = through.get(i);
            r.begun = r.done + 1;
            crash |= crashStepOf(r) == r.done;
        }
        sagaMetrics.executions(passed.stream().filter(r -> recorded.contains(r.sagaId) && r.done == SagaStep.COUNT)
                .map(r -> r.taskId).toList(), "success");
        if (crash) {
            LOG.errorf("marketops.publish.crash-after-step=%s: halting the JVM", crashAfterStep.get());
            Runtime.getRuntime().halt(137);
        }
        return stay;
    }

    /** The step number the crash hook (tests only) halts after for this saga; 0 when it is not aimed at it. */
    private int crashStepOf(SagaRun r) {
        return crashTaskId.map(t -> t == r.taskId).orElse(true)
                ? crashAfterStep.flatMap(SagaStep::named).map(s -> s.no).orElse(0) : 0;
    }

    /** Sagas without an outcome for this step get it and every later step's in one call now. */
    private void fetchAhead(SagaStep step, List<SagaRun> due, Map<SagaRun, Map<SagaStep, StepOutcome>> ahead) {
        List<SagaRun> missing = due.stream().filter(r -> !ahead.containsKey(r) || !ahead.get(r).containsKey(step)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Timer.Sample sample = Timer.start(meters);
        List<Map<SagaStep, StepOutcome>> got = gateway.executeThrough(step, SagaStep.of(SagaStep.COUNT), missing);
        sample.stop(meters.timer("saga_step_duration_seconds", "step_name", step.wire, "action", "execute_through"));
        for (int i = 0; i < missing.size(); i++) {
            ahead.put(missing.get(i), got.get(i));
        }
    }

    /** This step's outcomes at the first attempt of the combined path (fetched now where missing). */
    private List<StepOutcome> ahead(SagaStep step, List<SagaRun> pending, Map<SagaRun, Map<SagaStep, StepOutcome>> ahead) {
        fetchAhead(step, pending, ahead);
        List<StepOutcome> out = new ArrayList<>(pending.size());
        for (SagaRun r : pending) {
            StepOutcome o = ahead.get(r).remove(step);
            out.add(o != null ? o : StepOutcome.failure(true, "no result in the reply"));
        }
        return out;
    }

    /** Undoes, in reverse step order, what the sagas did; then marks their tasks publish_failed. */
    private void compensate(List<SagaRun> runs, String owner) {
        List<SagaRun> live = new ArrayList<>(runs);
        List<SagaRun> parked = new ArrayList<>();
        for (int no = SagaStep.LAST_COMPENSABLE.no; no >= 1; no--) {
            SagaStep step = SagaStep.of(no);
            List<SagaRun> pending = live.stream().filter(r -> r.compensateNext == step.no).toList();
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<SagaRun> lost = new ArrayList<>();
                pending = owned(store.begin(step, pending, true, owner, lease), pending, lost);
                live.removeAll(lost);
                if (pending.isEmpty()) {
                    break;
                }
                Timer.Sample sample = Timer.start(meters);
                List<StepOutcome> outcomes = gateway.compensate(step, pending);
                sample.stop(meters.timer("saga_step_duration_seconds", "step_name", step.wire, "action", "compensate"));
                List<SagaRun> ok = new ArrayList<>(), failed = new ArrayList<>(), retrying = new ArrayList<>(), giveUp = new ArrayList<>();
                List<String> failedErrors = new ArrayList<>(), retryErrors = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    StepOutcome o = outcomes.get(i);
                    if (o.ok()) {
                        ok.add(pending.get(i));
                    } else if (o.retryable()) {
                        retrying.add(pending.get(i));
                        retryErrors.add(o.error());
                    } else {
                        failed.add(pending.get(i));
                        failedErrors.add(o.error());
                    }
                }
                if (attempt >= maxAttempts && !retrying.isEmpty()) {
                    // listing-service is unreachable: keep the saga compensating; SagaRecovery resumes it
                    // when the lease expires rather than giving up on a half-undone saga.
                    giveUp.addAll(retrying);
                }
                Set<Long> recorded = store.recordCompensation(step, ok, failed, failedErrors, retrying, retryErrors, owner);
                for (SagaRun run : ok) {
                    if (recorded.contains(run.sagaId)) {
                        run.compensateNext = step.no - 1;
                    } else {
                        live.remove(run);
                    }
                }
                if (!failed.isEmpty()) {
                    LOG.errorf("compensation of %s failed for %d saga(s), they need a person; first: task %d: %s",
                            step.wire, failed.size(), failed.get(0).taskId, failedErrors.get(0));
                    sagaMetrics.executions(failed.stream().map(r -> r.taskId).toList(), "compensation_failed");
                    live.removeAll(failed);
                    // The task is still told: it stays APPROVED, marked publish_failed, whatever the catalogue holds.
                    failed.forEach(r -> gateway.markPublishFailed(r, r.error + "; " + step.wire + " not undone"));
                }
                meters.counter("saga_compensation_total", "step_name", step.wire).increment(ok.size());
                live.removeAll(giveUp);
                parked.addAll(giveUp);
                pending = attempt >= maxAttempts ? List.of() : retrying;
                if (!pending.isEmpty()) {
                    sleep(backoffMillis << (attempt - 1));
                }
            }
        }
        List<SagaRun> marked = new ArrayList<>();
        for (SagaRun run : live) {
            if (run.compensateNext != 0) {
                continue;
            }
            StepOutcome o = gateway.markPublishFailed(run, run.error == null ? "publish failed" : run.error);
            if (o.ok() || !o.retryable()) {
                if (!o.ok()) {
                    LOG.warnf("task %d could not be marked publish_failed: %s", run.taskId, o.error());
                }
                marked.add(run);
            } else {
                parked.add(run);
            }
        }
        if (!marked.isEmpty()) {
            Set<Long> done = store.finishCompensated(marked, owner);
            sagaMetrics.executions(marked.stream().filter(r -> done.contains(r.sagaId)).map(r -> r.taskId).toList(), "failed");
        }
        if (!parked.isEmpty()) {
            LOG.warnf("%d saga(s) left compensating for recovery (listing-service unreachable)", parked.size());
        }
    }

    private static List<SagaRun> owned(Set<Long> ids, List<SagaRun> runs, List<SagaRun> lost) {
        if (ids.size() == runs.size()) {
            return runs;
        }
        List<SagaRun> out = new ArrayList<>(ids.size());
        for (SagaRun r : runs) {
            if (ids.contains(r.sagaId)) {
                out.add(r);
            } else {
                lost.add(r);
            }
        }
        LOG.warnf("%d saga(s) are leased by another runner now; leaving them", runs.size() - out.size());
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
