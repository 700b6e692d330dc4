package dev.viewfold.encode;

/**
 * Memory for the pixels being decoded at once, shared by the decode threads: a decode takes what
 * its raster will hold before it starts and gives it back when done, waiting while others hold too
 * much. A decode larger than the whole budget runs alone rather than never.
 */
final class DecodeBudget {

    private final long capacity;
    private long held;

    DecodeBudget(long capacity) {
        this.capacity = Math.max(1, capacity);
    }

    synchronized void acquire(long bytes) {
        long want = Math.min(bytes, capacity);
        boolean interrupted = false;
        while (held + want > capacity) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        held += want;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void release(long bytes) {
        held -= Math.min(bytes, capacity);
        notifyAll();
    }

    synchronized long held() {
        return held;
    }
}
