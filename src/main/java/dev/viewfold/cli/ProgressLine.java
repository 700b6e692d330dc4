package dev.viewfold.cli;

import dev.viewfold.encode.EncodeSummary;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long encode on stderr: one line redrawn in place on a terminal, or a plain line
 * every few seconds when the output is a log (CI, a pipe).
 */
final class ProgressLine {

    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastPrinted;

    ProgressLine(PrintStream out, long total) {
        this.out = out;
        this.total = total;
        this.terminal = System.console() != null;
    }

    void update(EncodeSummary s) {
        show(s.total(), "encoding", "images", "  (failed " + s.failed() + ")");
    }

    /** Progress of other work over {@code total} rows. */
    void rows(long done) {
        show(done, "searching", "rows", "");
    }

    private void show(long count, String verb, String unit, String tail) {
        long now = System.nanoTime();
        boolean done = count >= total;
        if (!done && now - lastPrinted < (terminal ? 200_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrinted = now;
        double seconds = (now - started) / 1e9;
        double rate = count / Math.max(seconds, 1e-3);
        long eta = rate > 0 ? Math.round((total - count) / rate) : 0;
        String line = String.format(Locale.ROOT, "%s %d/%d  %3d%%  %.0f %s/s  eta %ds%s", verb,
                count, total, total == 0 ? 100 : (int) (100 * count / total), rate, unit, eta, tail);
        if (terminal) {
            out.print("\r" + line + (done ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
