package dev.viewfold.jobs;

import dev.viewfold.errors.Refused;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobsTest {

    final Jobs jobs = new Jobs(Clock.systemUTC());

    /** Work that steps until told to stop, reporting as it goes. */
    static Jobs.Work endless(CountDownLatch started) {
        return p -> {
            p.stage("layout");
            started.countDown();
            for (int step = 0; ; step++) {
                p.fraction(step / 1e6);
                p.check();
                Thread.sleep(5);
            }
        };
    }

    @Test
    void aJobReportsItsResultAndOnlyOneOfAKindRunsAtATime() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Jobs.Job running = jobs.start("cluster", Duration.ofMinutes(1), endless(started));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertEquals("running", running.status().state());
        assertEquals("layout", running.status().stage());
        assertEquals(409, assertThrows(Refused.class, () -> jobs.start("cluster", Duration.ofMinutes(1), p -> 1))
                .status());
        Jobs.Job other = jobs.start("train", Duration.ofMinutes(1), p -> "report");
        assertEquals("report", other.done().get(5, TimeUnit.SECONDS));
        assertEquals("done", other.status().state());
        assertEquals("report", other.status().result());
        running.cancel("cancelled by a request");
        ExecutionException e = assertThrows(ExecutionException.class, () -> running.done().get(5, TimeUnit.SECONDS));
        assertInstanceOf(JobProgress.Cancelled.class, e.getCause());
        assertEquals("cancelled", running.status().state());
        assertEquals("cancelled by a request", running.status().error());
        assertEquals(2, jobs.list().size());
        assertEquals(other.id(), jobs.list().get(0).id(), "newest first");
    }

    @Test
    void aJobPastItsTimeLimitIsStoppedAtItsNextStep() throws Exception {
        Jobs.Job job = jobs.start("train", Duration.ofMillis(200), endless(new CountDownLatch(1)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> job.done().get(10, TimeUnit.SECONDS));
        assertInstanceOf(JobProgress.Cancelled.class, e.getCause());
        assertTrue(job.status().error().contains("time limit"), job.status().error());
        assertTrue(job.status().seconds() < 5);
    }

    @Test
    void aFailureIsKeptWithItsReason() {
        Jobs.Job job = jobs.start("train", Duration.ofMinutes(1), p -> {
            throw Refused.conflict("space m@1 has no labelled observations");
        });
        assertThrows(ExecutionException.class, () -> job.done().get(5, TimeUnit.SECONDS));
        assertEquals("failed", job.status().state());
        assertEquals("space m@1 has no labelled observations", job.status().error());
    }
}
