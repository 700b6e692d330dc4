package dev.viewfold.heads;

import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.math.Vectors;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStamps;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Copies a base space's rows into a head space with every vector passed through the head: no image
 * is read or encoded again. An observation's fold is projected as it is (the head applied after
 * folding); refolding in the head space folds the projected views instead.
 */
public final class Reprojection {

    private static final int WRITE_BATCH = 500;

    /** How many rows were written. */
    public record Counts(int images, int observations) {
    }

    private Reprojection() {
    }

    /** One image row of the base space as the head space holds it. */
    public static ImageRow image(ImageRow base, String headSpace, ProjectionHead head, Instant now) {
        return base.inSpace(headSpace, base.vector() == null ? null : head.project(base.vector())).touched(now);
    }

    /** Rows just written to (or removed from) the base space, carried into the head space. */
    public static RowsChanged changes(VectorTable table, RowsChanged base, String headSpace, ProjectionHead head,
                                      Instant now) {
        List<ImageRow> written = new ArrayList<>();
        for (ImageRow r : base.written()) {
            written.add(image(r, headSpace, head, now));
        }
        List<ImageRow> landed = written.isEmpty() ? List.of() : table.putImages(written);
        List<ImageRow> removed = new ArrayList<>();
        java.util.Set<String> rewritten = new java.util.HashSet<>();
        base.written().forEach(w -> rewritten.add(w.imageId()));
        for (ImageRow r : base.removed()) {
            ImageRow gone = image(r, headSpace, head, r.updatedAt());
            // A row that moved to another observation is in written too; only a true removal deletes.
            if (!rewritten.contains(r.imageId())) {
                table.deleteImage(headSpace, r.imageId());
            }
            removed.add(gone);
        }
        return new RowsChanged(landed, removed);
    }

    /**
     * Carries the base rows written at or after {@code since} into the head space and hands them on
     * to be folded there: what ingest in another process wrote before it knew of the head (rows the
     * full projection already carried are rewritten unchanged). Deletions are not carried: the train
     * task may not delete rows. Returns how many rows were written.
     */
    public static int catchUp(VectorTable table, String baseSpace, String headSpace, ProjectionHead head,
                              Instant since, Instant now, Consumer<RowsChanged> downstream) {
        List<ImageRow> recent = new ArrayList<>();
        table.forEachImageSince(baseSpace, since, recent::add);
        int written = 0;
        for (int from = 0; from < recent.size(); from += WRITE_BATCH) {
            List<ImageRow> batch = recent.subList(from, Math.min(recent.size(), from + WRITE_BATCH));
            RowsChanged projected = changes(table, new RowsChanged(batch, List.of()), headSpace, head, now);
            written += projected.written().size();
            if (!projected.isEmpty()) {
                downstream.accept(projected);
            }
        }
        return written;
    }

    /**
     * Brings a head's space level with its model space after a crash or a lost write: every model
     * row the head space lacks, or holds an older write of, is projected again and handed on to be
     * folded; every head row whose model row is gone is removed. Returns how many rows changed.
     */
    public static int repair(VectorTable table, String baseSpace, String headSpace, ProjectionHead head, Instant now,
                             Consumer<RowsChanged> downstream) {
        java.util.Map<String, RowStamps.Image> base = new java.util.HashMap<>();
        table.forEachImageStamp(baseSpace, r -> base.put(r.imageId(), r));
        java.util.Map<String, RowStamps.Image> projected = new java.util.HashMap<>();
        table.forEachImageStamp(headSpace, r -> projected.put(r.imageId(), r));
        java.util.Set<String> lagging = new java.util.HashSet<>();
        base.forEach((id, r) -> {
            RowStamps.Image copy = projected.get(id);
            if (copy == null || copy.updatedAt().isBefore(r.updatedAt())
                    || !copy.observationId().equals(r.observationId()) || !copy.labels().equals(r.labels())) {
                lagging.add(id);
            }
        });
        List<ImageRow> gone = new ArrayList<>();
        projected.forEach((id, r) -> {
            if (!base.containsKey(id)) {
                table.deleteImage(headSpace, id);
                gone.add(new ImageRow(id, headSpace, r.observationId(), null, RowStatus.FAILED, "removed", null, null,
                        r.updatedAt(), now));
            }
        });
        int changed = gone.size();
        if (!gone.isEmpty()) {
            downstream.accept(new RowsChanged(List.of(), gone));
        }
        if (!lagging.isEmpty()) {
            List<ImageRow> rows = new ArrayList<>();
            table.forEachImage(baseSpace, r -> {
                if (lagging.contains(r.imageId())) {
                    rows.add(r);
                }
            });
            for (int from = 0; from < rows.size(); from += WRITE_BATCH) {
                RowsChanged moved = changes(table, new RowsChanged(rows.subList(from, Math.min(rows.size(),
                        from + WRITE_BATCH)), List.of()), headSpace, head, now);
                changed += moved.written().size();
                downstream.accept(moved);
            }
        }
        return changed;
    }

    /**
     * A projected fold's views with their agreement measured again in the head space (the same views
     * left out, the same likely homes): the head space's spread of view-to-fold distances, which its
     * folds weigh, is then in the head space's own units.
     */
    static List<ObservationRow.ViewScore> inHeadSpace(List<ObservationRow.ViewScore> views, float[] fold,
                                                     java.util.Map<String, float[]> projectedViews) {
        List<ObservationRow.ViewScore> out = new ArrayList<>(views.size());
        for (ObservationRow.ViewScore v : views) {
            float[] x = projectedViews.get(v.imageId());
            float agreement = fold == null || x == null ? v.agreement() : (float) Vectors.cosine(x, fold);
            out.add(new ObservationRow.ViewScore(v.imageId(), v.viewId(), agreement, v.outlier(), v.likelyHome(),
                    v.likelyHomeScore()));
        }
        return out;
    }

    /** Median cosine distance of the kept views to the fold. */
    private static double dispersion(List<ObservationRow.ViewScore> views) {
        double[] d = views.stream().filter(v -> !v.outlier()).mapToDouble(v -> 1 - v.agreement()).sorted().toArray();
        int n = d.length;
        return n == 0 ? 0 : n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    }

    /** Projects every image and observation row of {@code baseSpace}. */
    public static Counts all(VectorTable table, String baseSpace, String headSpace, ProjectionHead head, Instant now) {
        return all(table, baseSpace, headSpace, head, now, null);
    }

    /**
     * As above; with a {@code refold} consumer the projected image rows are also handed to it, batch by
     * batch, after the projected folds are written: for heads under which a fold of projected views is
     * not the projection of the fold (whitening changes which views agree).
     */
    public static Counts all(VectorTable table, String baseSpace, String headSpace, ProjectionHead head, Instant now,
                             Consumer<RowsChanged> refold) {
        List<ImageRow> images = new ArrayList<>();
        table.forEachImage(baseSpace, r -> images.add(image(r, headSpace, head, now)));
        List<List<ImageRow>> landed = new ArrayList<>();
        for (int from = 0; from < images.size(); from += WRITE_BATCH) {
            landed.add(table.putImages(images.subList(from, Math.min(images.size(), from + WRITE_BATCH))));
        }
        java.util.Map<String, float[]> projectedViews = new java.util.HashMap<>();
        images.forEach(r -> {
            if (r.vector() != null) {
                projectedViews.put(r.imageId(), r.vector());
            }
        });
        List<ObservationRow> observations = new ArrayList<>();
        // The fold's version is the projection's time, as its projected views' is: a check sees it current.
        table.forEachObservationSince(baseSpace, Instant.EPOCH, r -> {
            float[] fold = r.vector() == null ? null : head.project(r.vector());
            List<ObservationRow.ViewScore> views = inHeadSpace(r.views(), fold, projectedViews);
            observations.add(new ObservationRow(r.observationId(), headSpace, r.status(), r.error(), fold,
                    r.strategy(), views, fold == null ? r.dispersion() : dispersion(views), r.explanation(),
                    Math.max(r.inputVersion(), now.toEpochMilli()), r.labels(), null, now));
        });
        for (ObservationRow r : observations) {
            table.putFold(r); // keeps the head space's own cluster placements, if it was clustered before
        }
        if (refold != null) {
            landed.forEach(batch -> refold.accept(new RowsChanged(batch, List.of())));
        }
        return new Counts(images.size(), (int) observations.stream().filter(o -> o.status() == RowStatus.OK).count());
    }
}
