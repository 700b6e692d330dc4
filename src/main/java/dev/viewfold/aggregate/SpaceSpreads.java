package dev.viewfold.aggregate;

import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each space's {@link SpaceSpread}, measured from the stored folds and kept for a while: a fold reads
 * it, it does not rebuild it. Measuring is one pass over the space's fold stamps (the view lists,
 * not the vectors). It is measured again when the last measure is older than {@code refresh}, or
 * once this process has asked for it as many times as there were folds counted when it was measured: a
 * space being filled (a first ingest) gets its spread after its first folds, and then about each
 * time it doubles, so the stamps read stay proportional to the folds made; a large space folding
 * a few observations an hour reads its stamps a few times an hour. A spread moves slowly (it is a
 * median over every kept view), so a stale one costs nothing worth the reads.
 */
public final class SpaceSpreads {

    /** The strategies whose fold is the mean of the views they keep: their view-to-fold distances mean one thing. */
    static final Set<String> MEAN_FOLDS = Set.of("robust", "mean");

    /** A measure, the folds it counted, and how often it was asked for since. */
    private record Measured(Optional<SpaceSpread> spread, Instant at, int folds, java.util.concurrent.atomic.AtomicInteger asked) {
        boolean due(Instant now, Duration refresh) {
            return at.plus(refresh).isBefore(now)
                    || asked.incrementAndGet() > Math.max(SpaceSpread.MIN_OBSERVATIONS, folds);
        }
    }

    private final VectorTable table;
    private final Duration refresh;
    private final Clock clock;
    private final Map<String, Measured> bySpace = new ConcurrentHashMap<>();

    public SpaceSpreads(VectorTable table, Duration refresh, Clock clock) {
        this.table = table;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The space's spread as last measured, measured now if never or longer than {@code refresh} ago. */
    public Optional<SpaceSpread> of(String space) {
        Instant now = clock.instant();
        Measured m = bySpace.get(space);
        if (m == null || m.due(now, refresh)) {
            m = measure(space, now);
            bySpace.put(space, m);
        }
        return m.spread();
    }

    private Measured measure(String space, Instant now) {
        SpaceSpread.Tally tally = new SpaceSpread.Tally();
        table.forEachFoldStamp(space, f -> {
            if (f.status() == RowStatus.OK && MEAN_FOLDS.contains(f.strategy())) {
                tally.addFold(f.keptAgreements());
            }
        });
        // Counted by the folds that tell something (two views or more): a space of single photos
        // that starts getting multi-view observations is measured again after ten of them.
        return new Measured(tally.spread(), now, tally.observations(), new java.util.concurrent.atomic.AtomicInteger());
    }
}
