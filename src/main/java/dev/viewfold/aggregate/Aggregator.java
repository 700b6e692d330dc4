package dev.viewfold.aggregate;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
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

    public Aggregator(VectorTable table, FoldStrategies strategies, Clock clock) {
        this.table = table;
        this.strategies = strategies;
        this.clock = clock;
    }

    /** A fold and whether it was written (false: a fold of a newer set of views was already there). */
    public record Result(ObservationRow row, boolean written) {
    }

    /**
     * Folds one observation and writes it.
     *
     * @param strategy       a strategy name, or null for the deployment's default
     * @param triggerVersion when the change that asked for this happened (epoch ms), or 0
     */
    public Result aggregate(String space, String observationId, String strategy, long triggerVersion) {
        ObservationRow row = compute(space, observationId, strategy, triggerVersion);
        boolean written = table.putFold(row);
        if (!written) {
            LOG.debugf("fold of %s (version %d) dropped: a newer one is stored", observationId, row.inputVersion());
        }
        return new Result(row, written);
    }

    /** Reads the observation's rows and folds them, without writing. */
    public ObservationRow compute(String space, String observationId, String strategy, long triggerVersion) {
        FoldStrategy s = strategy == null ? strategies.defaultStrategy() : strategies.get(strategy);
        List<ImageRow> rows = table.imagesOfObservation(space, observationId);
        long version = triggerVersion;
        List<View> views = new ArrayList<>();
        for (ImageRow r : rows) {
            version = Math.max(version, r.updatedAt().toEpochMilli());
            if (r.isOk()) {
                views.add(new View(r.imageId(), r.viewId(), r.vector()));
            }
        }
        var now = clock.instant();
        if (views.isEmpty()) {
            String why = rows.isEmpty() ? "no views left" : "no usable views: all " + rows.size() + " failed to encode";
            return new ObservationRow(observationId, space, RowStatus.EMPTY, why, null, s.name(), List.of(), 0,
                    why, version, null, null, null, now);
        }
        int d = views.get(0).vector().length;
        if (views.stream().anyMatch(v -> v.vector().length != d)) {
            throw new IllegalStateException("observation " + observationId + " in space " + space
                    + " holds vectors of different dimensions");
        }
        views.sort(ViewOrder.ORDER);
        Fold fold = s.fold(views);
        List<ObservationRow.ViewScore> scores = new ArrayList<>(views.size());
        for (int i = 0; i < views.size(); i++) {
            scores.add(new ObservationRow.ViewScore(views.get(i).imageId(), views.get(i).viewId(),
                    fold.agreement()[i], fold.outlier()[i]));
        }
        return new ObservationRow(observationId, space, RowStatus.OK, null, fold.vector(), s.name(), scores,
                fold.dispersion(), fold.explanation(), version, null, null, null, now);
    }

    /** In-process trigger: refolds every observation the written rows touch, once each. */
    public void afterImagesWritten(List<ImageRow> written) {
        Map<List<String>, Long> touched = new LinkedHashMap<>();
        for (ImageRow r : written) {
            touched.merge(List.of(r.space(), r.observationId()), r.updatedAt().toEpochMilli(), Math::max);
        }
        touched.forEach((key, version) -> aggregate(key.get(0), key.get(1), null, version));
    }
}
