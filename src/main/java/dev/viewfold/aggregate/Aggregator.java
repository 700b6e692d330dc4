package dev.viewfold.aggregate;

import dev.viewfold.errors.Refused;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregate use case: recompute an observation from all its current {@code ok} image rows in
 * one space and write its fold. Safe to run twice, late, or concurrently: each fold carries the
 * newest change among the rows it read (or of the event that asked for it), and the table keeps
 * the fold of the newest set of views.
 */
public final class Aggregator {

    private static final Logger LOG = Logger.getLogger(Aggregator.class);

    private final VectorTable table;
    private final FoldStrategies strategies;
    private final Clock clock;
    private final CollectionEvidence.Source evidence;

    /** Folds that judge each observation by its own views alone. */
    public Aggregator(VectorTable table, FoldStrategies strategies, Clock clock) {
        this(table, strategies, clock, CollectionEvidence.Source.NONE);
    }

    /** @param evidence what a fold may learn from the rest of its space (robust weighs it) */
    public Aggregator(VectorTable table, FoldStrategies strategies, Clock clock, CollectionEvidence.Source evidence) {
        this.table = table;
        this.strategies = strategies;
        this.clock = clock;
        this.evidence = evidence;
    }

    /** A fold and whether it was written (false: a fold of a newer set of views was already there). */
    public record Result(ObservationRow row, boolean written) {
    }

    /**
     * An observation to fold.
     *
     * @param strategy a strategy name, or null for the deployment's default
     * @param version  the newest change that asked for the fold (epoch ms), or 0
     */
    public record Touched(String space, String observationId, String strategy, long version) {
    }

    /** What folding a batch came to: the folds made, in order, and the first that failed (null when none did). */
    public record Batch(List<Result> folded, Touched failed, RuntimeException failure) {

        /** The folds, or the failure thrown. */
        public List<Result> orThrow() {
            if (failure != null) {
                throw failure;
            }
            return folded;
        }
    }

    /** Observations whose rows are read together: bounds what a batch holds in memory at once. */
    static final int READ_TOGETHER = 25;

    /**
     * Folds one observation and writes it.
     *
     * @param strategy       a strategy name, or null for the deployment's default
     * @param triggerVersion when the change that asked for this happened (epoch ms), or 0
     */
    public Result aggregate(String space, String observationId, String strategy, long triggerVersion) {
        return aggregate(space, observationId, strategy, triggerVersion, NO_CHANGES);
    }

    private static final RowsChanged NO_CHANGES = new RowsChanged(List.of(), List.of());

    /**
     * Folds one observation and writes it, applying {@code known} changes over the rows read back:
     * the trigger knows its own change even when the table's index does not show it yet.
     */
    public Result aggregate(String space, String observationId, String strategy, long triggerVersion,
                            RowsChanged known) {
        return write(compute(space, observationId, strategy, triggerVersion, known));
    }

    /**
     * Folds each observation once, in order, with the known changes applied, and writes it. The rows
     * of up to {@link #READ_TOGETHER} observations are read together (one batched read a space) and
     * their folds written together, so a stream batch pays the table's round trips once a window, not
     * once an observation. Stops at the first observation that fails, which a stream trigger then
     * retries from (folding again is harmless). With collection evidence on (the embedded default),
     * each observation is read, folded and written in turn instead: its fold weighs the folds before
     * it. On AWS evidence is off, and the stream's batches go together.
     */
    public Batch aggregateAll(List<Touched> touched, RowsChanged known) {
        // A fold that learns from the rest of the space must see the folds made before it written.
        int together = evidence == CollectionEvidence.Source.NONE ? READ_TOGETHER : 1;
        List<Result> folded = new ArrayList<>(touched.size());
        for (int from = 0; from < touched.size(); from += together) {
            List<Touched> window = touched.subList(from, Math.min(touched.size(), from + together));
            Map<String, List<String>> idsBySpace = new LinkedHashMap<>();
            window.forEach(t -> idsBySpace.computeIfAbsent(t.space(), k -> new ArrayList<>()).add(t.observationId()));
            Map<String, Map<String, List<ImageRow>>> read = new LinkedHashMap<>();
            try {
                idsBySpace.forEach((space, ids) -> read.put(space, table.imagesOfObservations(space, ids)));
            } catch (RuntimeException e) {
                return new Batch(folded, window.get(0), e); // none of the window is folded yet
            }
            List<ObservationRow> made = new ArrayList<>(window.size());
            RuntimeException failure = null;
            for (Touched t : window) {
                try {
                    made.add(fold(t.space(), t.observationId(), t.strategy(), t.version(),
                            current(t.space(), t.observationId(), read.get(t.space()).get(t.observationId()), known)));
                } catch (RuntimeException e) {
                    failure = e;
                    break;
                }
            }
            List<Boolean> written;
            try {
                written = table.putFolds(made);
            } catch (RuntimeException e) {
                return new Batch(folded, window.get(0), e); // which of the window were written is unknown
            }
            for (int i = 0; i < made.size(); i++) {
                folded.add(result(made.get(i), written.get(i)));
            }
            if (failure != null) {
                return new Batch(folded, window.get(made.size()), failure);
            }
        }
        return new Batch(folded, null, null);
    }

    private Result write(ObservationRow row) {
        return result(row, table.putFold(row));
    }

    private static Result result(ObservationRow row, boolean written) {
        if (!written) {
            LOG.debugf("fold of %s (version %d) dropped: a newer one is stored", row.observationId(), row.inputVersion());
        }
        return new Result(row, written);
    }

    /**
     * On request (another strategy, a repair): folds what the table holds now and replaces the
     * stored fold, whose version it takes, since it read the rows after that fold was made. Without a
     * strategy the observation keeps its own (the one its stored fold used), not the default.
     *
     * @throws Refused (not found) when the space holds no image row of the observation
     */
    public Result refold(String space, String observationId, String strategy) {
        var stored = table.findObservation(space, observationId);
        String kept = strategy != null ? strategy
                : stored.map(ObservationRow::strategy).filter(strategies::offers).orElse(null);
        List<ImageRow> rows = current(space, observationId, NO_CHANGES);
        if (rows.isEmpty()) {
            throw Refused.notFound("no image rows for observation '" + Refused.echo(observationId) + "' in space "
                    + space);
        }
        return write(fold(space, observationId, kept, stored.map(ObservationRow::inputVersion).orElse(0L), rows));
    }

    /**
     * Folds again, from what the table holds now, every observation of a space whose fold no longer
     * reflects its image rows ({@link StaleFolds}), each with its own strategy.
     *
     * @return the observations refolded
     */
    public List<String> repair(String space) {
        List<String> stale = StaleFolds.of(table, space);
        List<Touched> touched = new ArrayList<>(stale.size());
        for (String observationId : stale) {
            var stored = table.findObservation(space, observationId);
            touched.add(new Touched(space, observationId,
                    stored.map(ObservationRow::strategy).filter(strategies::offers).orElse(null),
                    stored.map(ObservationRow::inputVersion).orElse(0L)));
        }
        aggregateAll(touched, NO_CHANGES).orThrow();
        if (!stale.isEmpty()) {
            LOG.infof("refolded %d stale observations of %s", stale.size(), space);
        }
        return stale;
    }

    /** The stored fold of an observation, as it is. */
    public java.util.Optional<ObservationRow> stored(String space, String observationId) {
        return table.findObservation(space, observationId);
    }

    /** Reads the observation's rows and folds them, without writing. */
    public ObservationRow compute(String space, String observationId, String strategy, long triggerVersion) {
        return compute(space, observationId, strategy, triggerVersion, NO_CHANGES);
    }

    ObservationRow compute(String space, String observationId, String strategy, long triggerVersion,
                           RowsChanged known) {
        return fold(space, observationId, strategy, triggerVersion, current(space, observationId, known));
    }

    /** Folds the rows read for an observation (the failed ones count only for its labels and version). */
    private ObservationRow fold(String space, String observationId, String strategy, long triggerVersion,
                                List<ImageRow> rows) {
        FoldStrategy s = strategy == null ? strategies.defaultStrategy() : strategies.get(strategy);
        long version = triggerVersion;
        List<View> views = new ArrayList<>();
        java.util.Set<String> labels = new java.util.TreeSet<>();
        for (ImageRow r : rows) {
            version = Math.max(version, r.updatedAt().toEpochMilli());
            labels.addAll(r.labels()); // a failed view still says what the observation is
            if (r.isOk()) {
                views.add(new View(r.imageId(), r.viewId(), r.vector(), r.createdAt()));
            }
        }
        var now = clock.instant();
        if (views.isEmpty()) {
            String why = rows.isEmpty() ? "no views left" : "no usable views: all " + rows.size() + " failed to encode";
            return new ObservationRow(observationId, space, RowStatus.EMPTY, why, null, s.name(), List.of(), 0,
                    why, version, labels, null, now);
        }
        int d = views.get(0).vector().length;
        if (views.stream().anyMatch(v -> v.vector().length != d)) {
            throw new IllegalStateException("observation " + observationId + " in space " + space
                    + " holds vectors of different dimensions");
        }
        views.sort(ViewOrder.ORDER);
        Fold fold = s.weighsTheCollection() ? s.fold(views, evidence.forFold(space, observationId)) : s.fold(views);
        List<ObservationRow.ViewScore> scores = new ArrayList<>(views.size());
        for (int i = 0; i < views.size(); i++) {
            var home = fold.home(i);
            scores.add(new ObservationRow.ViewScore(views.get(i).imageId(), views.get(i).viewId(),
                    fold.agreement()[i], fold.outlier()[i], home == null ? null : home.observationId(),
                    home == null ? null : (float) home.similarity()));
        }
        return new ObservationRow(observationId, space, RowStatus.OK, null, fold.vector(), s.name(), scores,
                fold.dispersion(), fold.explanation(), version, labels, null, now);
    }

    /**
     * The observation's rows as read, with the known changes applied: a written row replaces an
     * older one of the same image (or joins), a row written into another observation or removed
     * leaves.
     */
    private List<ImageRow> current(String space, String observationId, RowsChanged known) {
        return current(space, observationId, table.imagesOfObservation(space, observationId), known);
    }

    private static List<ImageRow> current(String space, String observationId, List<ImageRow> read, RowsChanged known) {
        Map<String, ImageRow> rows = new LinkedHashMap<>();
        for (ImageRow r : read) {
            rows.put(r.imageId(), r);
        }
        for (ImageRow gone : known.removed()) {
            if (gone.space().equals(space)) {
                ImageRow there = rows.get(gone.imageId());
                if (there != null && !there.updatedAt().isAfter(gone.updatedAt())) {
                    rows.remove(gone.imageId());
                }
            }
        }
        for (ImageRow w : known.written()) {
            if (!w.space().equals(space)) {
                continue;
            }
            ImageRow there = rows.get(w.imageId());
            if (there != null && there.updatedAt().isAfter(w.updatedAt())) {
                continue; // the table already holds something newer
            }
            if (w.observationId().equals(observationId)) {
                rows.put(w.imageId(), w);
            } else {
                rows.remove(w.imageId()); // moved to another observation
            }
        }
        return new ArrayList<>(rows.values());
    }

    /**
     * In-process trigger: refolds every observation the changed rows touch (the one a row left as
     * well as the one it joined), once each.
     */
    public void afterRowsChanged(RowsChanged changed) {
        Map<List<String>, Long> touched = new LinkedHashMap<>();
        for (ImageRow r : changed.written()) {
            touched.merge(List.of(r.space(), r.observationId()), r.updatedAt().toEpochMilli(), Math::max);
        }
        for (ImageRow r : changed.removed()) {
            touched.merge(List.of(r.space(), r.observationId()), r.updatedAt().toEpochMilli(), Math::max);
        }
        aggregateAll(touched.entrySet().stream().map(e -> new Touched(e.getKey().get(0), e.getKey().get(1), null,
                e.getValue())).toList(), changed).orThrow();
    }
}
