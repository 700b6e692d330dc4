package dev.viewfold.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What encoding this process is doing now and has done, for a page's progress line. */
public final class EncodeActivity {

    /**
     * @param inFlight images being encoded now
     * @param encoded  images encoded since the process started
     * @param failed   images that failed since the process started
     * @param lastAt   when the last batch ended, or null
     */
    public record Snapshot(int inFlight, long encoded, long failed, String lastAt) {
    }

    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile Instant lastAt;

    public EncodeActivity(Clock clock) {
        this.clock = clock;
    }

    public void started(int images) {
        inFlight.addAndGet(images);
    }

    public void finished(int images, long encodedNow, long failedNow) {
        inFlight.addAndGet(-images);
        encoded.addAndGet(encodedNow);
        failed.addAndGet(failedNow);
        lastAt = clock.instant();
    }

    public Snapshot snapshot() {
        Instant last = lastAt;
        return new Snapshot(Math.max(0, inFlight.get()), encoded.get(), failed.get(), last == null ? null : last.toString());
    }
}
