package dev.viewfold.jobs;

/**
 * What a running job tells about itself (its stage and how far into it it is) and asks (whether
 * it should stop). Work checks {@link #check()} at its natural steps (an epoch, a stage, a batch):
 * cancelling is cooperative, so a job stops at the next step, leaving what it had published.
 */
public final class JobProgress {

    /** Thrown at a step of a job that was cancelled or ran out of time. */
    public static final class Cancelled extends RuntimeException {
        Cancelled(String why) {
            super(why);
        }
    }

    private volatile String stage = "starting";
    private volatile double fraction;
    private volatile String cancelled;

    /** For work that runs outside a job: it reports nowhere and is never cancelled. */
    public static JobProgress none() {
        return new JobProgress();
    }

    public void stage(String name) {
        this.stage = name;
        this.fraction = 0;
    }

    /** How far into the current stage, 0 to 1. */
    public void fraction(double done) {
        this.fraction = Math.max(0, Math.min(1, done));
    }

    /** @throws Cancelled when the job was cancelled or passed its time limit */
    public void check() {
        String why = cancelled;
        if (why != null) {
            throw new Cancelled(why);
        }
    }

    public String stage() {
        return stage;
    }

    public double fraction() {
        return fraction;
    }

    void cancel(String why) {
        if (cancelled == null) {
            cancelled = why;
        }
    }

    String cancelledBecause() {
        return cancelled;
    }
}
