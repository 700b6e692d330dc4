package dev.viewfold.encode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Running totals over many outcomes: what ingest prints and the encode function returns. */
public final class EncodeSummary {

    private long encoded;
    private long unchanged;
    private long relabelled;
    private long failed;
    private long missing;
    private long removed;
    private final Set<String> observations = new HashSet<>();

    public synchronized void add(List<EncodeOutcome> outcomes) {
        for (EncodeOutcome o : outcomes) {
            switch (o.kind()) {
                case ENCODED -> encoded++;
                case UNCHANGED -> unchanged++;
                case RELABELLED -> relabelled++;
                case FAILED -> failed++;
                case MISSING -> missing++;
                case REMOVED -> removed++;
            }
            if (o.kind() == EncodeOutcome.Kind.ENCODED || o.kind() == EncodeOutcome.Kind.UNCHANGED
                    || o.kind() == EncodeOutcome.Kind.RELABELLED && o.reason() == null) {
                observations.add(o.observationId());
            }
        }
    }

    public synchronized long encoded() {
        return encoded;
    }

    public synchronized long unchanged() {
        return unchanged;
    }

    /** Unchanged images whose labels changed (counted apart from {@link #unchanged()}). */
    public synchronized long relabelled() {
        return relabelled;
    }

    public synchronized long failed() {
        return failed;
    }

    public synchronized long missing() {
        return missing;
    }

    public synchronized long removed() {
        return removed;
    }

    public synchronized long total() {
        return encoded + unchanged + relabelled + failed + missing;
    }

    /** Observations with at least one usable view among the objects seen. */
    public synchronized int observations() {
        return observations.size();
    }
}
