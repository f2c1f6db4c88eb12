package dev.marketops.publish.runner;

/**
 * One saga as a runner drives it: where it stands (steps done, or the step to undo next) and
 * why it is being compensated. Mutable and confined to the runner's thread.
 */
public final class SagaRun {

    final long sagaId;
    final long taskId;
    long itemId;                 // 0 until create_item succeeded
    int done;                    // forward steps succeeded (0..7)
    boolean compensating;
    int compensateNext;          // while compensating: the step number to undo next, 0 when all are undone
    String error;                // the failure that started compensation
    String owner;                // the lease owner token of the run driving it
    int begun;                   // the step already marked running by the previous step's record (this run only)

    SagaRun(long sagaId, long taskId, long itemId, int done, boolean compensating, int compensateNext, String error) {
        this.sagaId = sagaId;
        this.taskId = taskId;
        this.itemId = itemId;
        this.done = done;
        this.compensating = compensating;
        this.compensateNext = compensateNext;
        this.error = error;
    }

    /** A saga just created (its first step begun by the insert). */
    static SagaRun fresh(long sagaId, long taskId) {
        SagaRun run = new SagaRun(sagaId, taskId, 0, 0, false, 0, null);
        run.begun = SagaStep.CREATE_ITEM.no;
        return run;
    }

    /** Compensation undoes the failed step too (a timed-out call may have taken effect) and everything before it. */
    void failAt(SagaStep step, String why) {
        compensating = true;
        compensateNext = Math.min(step.no, SagaStep.LAST_COMPENSABLE.no);
        error = why;
    }
}
