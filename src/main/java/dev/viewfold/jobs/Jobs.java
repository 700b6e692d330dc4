package dev.viewfold.jobs;

import dev.viewfold.errors.Refused;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Long work asked for over HTTP (a training run, a cluster run) as jobs: each has an id, a status a
 * page or a client can poll, a time limit, and can be cancelled; one of a kind runs at a time. The
 * last {@value #KEPT} finished jobs are remembered for their status.
 */
public final class Jobs {

    private static final Logger LOG = Logger.getLogger(Jobs.class);
    static final int KEPT = 50;

    /** The work a job does: it reports to and checks with its progress, and returns its result. */
    @FunctionalInterface
    public interface Work {
        Object run(JobProgress progress) throws Exception;
    }

    /**
     * A job as its status reads.
     *
     * @param state    {@code running}, {@code done}, {@code failed} or {@code cancelled}
     * @param stage    what it is doing now (or did last)
     * @param fraction how far into that stage, 0 to 1
     * @param error    why it failed or was cancelled, else null
     * @param result   what it made (a report, a run summary), once done
     */
    public record Status(String id, String kind, String state, String stage, double fraction, String startedAt,
                         String finishedAt, double seconds, String error, Object result) {
    }

    /** A job in progress or finished. */
    public final class Job {
        private final String id;
        private final String kind;
        private final Instant started;
        private final JobProgress progress = new JobProgress();
        private final CompletableFuture<Object> done = new CompletableFuture<>();
        private volatile Instant finished;
        private volatile String state = "running";
        private volatile String error;

        private Job(String id, String kind, Instant started) {
            this.id = id;
            this.kind = kind;
            this.started = started;
        }

        public String id() {
            return id;
        }

        /** Asks the job to stop at its next step. */
        public void cancel(String why) {
            progress.cancel(why);
        }

        /** What the job made, once it ends: its result, or its failure ({@link JobProgress.Cancelled} when stopped). */
        public CompletableFuture<Object> done() {
            return done;
        }

        public Status status() {
            Instant end = finished == null ? clock.instant() : finished;
            return new Status(id, kind, state, progress.stage(), progress.fraction(), started.toString(),
                    finished == null ? null : finished.toString(), Duration.between(started, end).toMillis() / 1000.0,
                    error, done.isDone() && !done.isCompletedExceptionally() ? done.join() : null);
        }
    }

    private final Clock clock;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "viewfold-job");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "viewfold-job-deadlines");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public Jobs(Clock clock) {
        this.clock = clock;
    }

    /**
     * Starts a job of a kind, stopped at its next step once {@code limit} has passed.
     *
     * @throws Refused (conflict) while a job of the same kind is running
     */
    public synchronized Job start(String kind, Duration limit, Work work) {
        for (Job j : jobs.values()) {
            if (j.kind.equals(kind) && j.finished == null) {
                throw Refused.conflict("a " + kind + " job is already running (" + j.id + "); try again when it has"
                        + " finished, or cancel it");
            }
        }
        Job job = new Job(UUID.randomUUID().toString(), kind, clock.instant());
        jobs.put(job.id, job);
        forgetOld();
        var deadline = deadlines.schedule(() -> job.cancel("stopped after its time limit of " + limit.toSeconds()
                + " s (viewfold.jobs.time-limit)"), limit.toMillis(), TimeUnit.MILLISECONDS);
        workers.submit(() -> {
            try {
                Object result = work.run(job.progress);
                end(job, "done", null);
                job.done.complete(result);
            } catch (JobProgress.Cancelled e) {
                end(job, "cancelled", e.getMessage());
                job.done.completeExceptionally(e);
            } catch (Throwable e) {
                end(job, "failed", e.getMessage() == null ? e.toString() : e.getMessage());
                if (!(e instanceof Refused)) {
                    LOG.errorf(e, "%s job %s failed", kind, job.id);
                }
                job.done.completeExceptionally(e);
            } finally {
                deadline.cancel(false);
            }
        });
        return job;
    }

    private void end(Job job, String state, String error) {
        job.finished = clock.instant();
        job.error = error;
        job.state = state;
        if (!state.equals("done")) {
            LOG.infof("%s job %s %s: %s", job.kind, job.id, state, error);
        }
    }

    private void forgetOld() {
        List<Job> finished = new ArrayList<>(jobs.values().stream().filter(j -> j.finished != null).toList());
        finished.sort(Comparator.comparing((Job j) -> j.finished));
        for (int i = 0; i < finished.size() - KEPT; i++) {
            jobs.remove(finished.get(i).id);
        }
    }

    public synchronized Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Every remembered job, newest first. */
    public synchronized List<Status> list() {
        List<Status> out = new ArrayList<>(jobs.values().stream().map(Job::status).toList());
        java.util.Collections.reverse(out);
        return out;
    }
}
