package dev.viewfold.cluster.umap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered chunks of work on a few threads. Chunk boundaries never depend on the thread count
 * and every chunk writes only its own output, so results are the same for 1 or many threads.
 */
final class Chunks implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    Chunks(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "umap-worker");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Calls {@code body} for chunks 0..count-1 (in any order, at most {@code threads} at once). */
    void run(int count, IntConsumer body) {
        if (pool == null || count <= 1) {
            for (int c = 0; c < count; c++) {
                body.accept(c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, count); t++) {
            futures.add(pool.submit(() -> {
                for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
                    body.accept(c);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    /** Number of fixed-size chunks covering {@code n} items. */
    static int count(int n, int size) {
        return (n + size - 1) / size;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
