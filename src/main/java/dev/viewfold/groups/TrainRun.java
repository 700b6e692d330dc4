package dev.viewfold.groups;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.math.Rng;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The train use case: learns a projection head on the labelled observations of a base space, stores
 * it (weights and report) in the bucket, and projects the base space's rows into the head's space.
 * The report holds the curve, the retrieval of unseen validation groups with and without the head, and
 * how well each classifier places held-out observations of known groups in either space.
 *
 * <p>Ingest in other processes (encode Lambdas, workers) follows a new head only once it re-reads
 * the list of heads ({@code viewfold.groups.heads-refresh}); what it writes before that never
 * reaches the head's space. Given a catch-up time, the run waits that long after saving the head
 * and then projects the base rows stamped since one such time before the save (rows are stamped
 * before they are written, on other hosts' clocks, and a slow write may land after the full
 * projection passed it), handing them on to be folded. Images deleted meanwhile stay in the
 * head's space.
 */
public final class TrainRun {

    /**
     * What a run made. {@code report} is what is stored next to the head and what callers show;
     * {@code training} is null for a whitening head, which is fitted, not trained.
     */
    public record Outcome(String baseSpace, String headSpace, ProjectionHead head, TrainingReport training,
                          Reprojection.Counts projected, ObjectNode report) {
    }

    /** Fewer validation groups than this and the report says the validation figures are thin. */
    static final int MIN_CONVINCING_VALIDATION_GROUPS = 5;
    /** Waits out the catch-up time: a seam, so that tests can play ingest elsewhere instead of sleeping. */
    public interface Waiter {
        void await(Duration time) throws InterruptedException;
    }

    private final VectorTable table;
    private final HeadStore heads;
    private final ObjectMapper json;
    private final Clock clock;
    private final Consumer<RowsChanged> foldAfter;
    private final Waiter waiter;

    /** {@code foldAfter} takes the rows the catch-up projects (the aggregator, or nothing where a stream folds). */
    public TrainRun(VectorTable table, HeadStore heads, ObjectMapper json, Clock clock,
                    Consumer<RowsChanged> foldAfter, Waiter waiter) {
        this.table = table;
        this.heads = heads;
        this.json = json;
        this.clock = clock;
        this.foldAfter = foldAfter;
        this.waiter = waiter;
    }

    /**
     * What a head learns from: labelled observations (each folded from its views), or labelled images
     * (each photo an example: for collections whose observations are whole groups, such as a folder
     * per species).
     */
    public enum Examples { OBSERVATIONS, IMAGES }

    /** Labelled, usable image rows of a space, in id order (the order training depends on). */
    public static List<Labelled> labelledImages(VectorTable table, String space) {
        List<Labelled> out = new ArrayList<>();
        table.forEachImage(space, r -> {
            if (r.isOk() && !r.labels().isEmpty()) {
                out.add(new Labelled(r.imageId(), r.vector(), r.labels()));
            }
        });
        out.sort(Comparator.comparing(Labelled::id));
        return out;
    }

    /** Labelled, usable observation rows of a space, in id order (the order training depends on). */
    public static List<Labelled> labelled(VectorTable table, String space) {
        List<ObservationRow> rows = new ArrayList<>();
        table.forEachObservationSince(space, Instant.EPOCH, r -> {
            if (r.status() == RowStatus.OK && r.vector() != null && !r.labels().isEmpty()) {
                rows.add(r);
            }
        });
        rows.sort(Comparator.comparing(ObservationRow::observationId));
        List<Labelled> out = new ArrayList<>(rows.size());
        for (ObservationRow r : rows) {
            out.add(new Labelled(r.observationId(), r.vector(), r.labels()));
        }
        return out;
    }

    /**
     * Trains, stores and projects.
     *
     * @throws IllegalArgumentException when the space's labelled observations cannot train a head
     */
    public Outcome train(String baseSpace, TrainingSettings settings, Examples examples, Consumer<String> progress)
            throws IOException {
        return train(baseSpace, settings, examples, Duration.ZERO, progress);
    }

    /** As above, then after {@code catchUp} (zero: not at all) projects what ingest elsewhere wrote meanwhile. */
    public Outcome train(String baseSpace, TrainingSettings settings, Examples examples, Duration catchUp,
                         Consumer<String> progress) throws IOException {
        if (HeadSpaces.isHead(baseSpace)) {
            throw new IllegalArgumentException("space " + baseSpace + " is a head's space: train on its base, "
                    + HeadSpaces.base(baseSpace));
        }
        Instant started = clock.instant();
        List<Labelled> data = examples == Examples.IMAGES ? labelledImages(table, baseSpace) : labelled(table, baseSpace);
        String what = examples.name().toLowerCase(Locale.ROOT);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("space " + baseSpace + " has no labelled " + what + ": give images"
                    + " labels (the ingest manifest's label column, the object's labels metadata, or the labels function)");
        }
        progress.accept("training on " + data.size() + " labelled " + what);
        TrainingResult result = MetricTrainer.train(data, settings, epoch -> progress.accept(String.format(
                Locale.ROOT, "epoch %d: loss %.4f, validation MAP@R %.4f", epoch.epoch(), epoch.trainLoss(),
                epoch.validationMapAtR())));
        ProjectionHead head = result.head();
        ObjectNode report = report(baseSpace, head, result.report(), data, started);
        report.put("examples", what);
        return publish(baseSpace, head, result.report(), report, false, catchUp, started, progress);
    }

    /**
     * Learns a whitening head from the observations' own views ({@link ViewWhitening}): no labels
     * needed. Views the base space's folds flagged as outliers are left out of the fit. Before the
     * head kept is fitted on every observation, one fitted without a held-out fifth of them (at least
     * 5, when there are at least {@value #MIN_WHITENING_VALIDATION} with two views) is scored on those: how
     * well a view finds the other views of its observation, raw and whitened. Observations in the
     * head's space are folded again from the whitened views.
     *
     * @throws IllegalArgumentException when fewer than two observations have two usable views
     */
    public Outcome whiten(String baseSpace, double shrink, Duration catchUp, Consumer<String> progress)
            throws IOException {
        if (HeadSpaces.isHead(baseSpace)) {
            throw new IllegalArgumentException("space " + baseSpace + " is a head's space: whiten its base, "
                    + HeadSpaces.base(baseSpace));
        }
        Instant started = clock.instant();
        ViewSets views = ViewSets.of(table, baseSpace);
        progress.accept("whitening from " + views.viewCount() + " views of " + views.ids().size() + " observations ("
                + views.leftOut() + " flagged views left out)");
        ObjectNode report = json.createObjectNode();
        report.put("baseSpace", baseSpace);
        ObjectNode settings = report.putObject("settings");
        settings.put("head", "whiten");
        settings.put("shrink", shrink);
        report.put("observations", views.ids().size());
        report.put("views", views.viewCount());
        report.put("flaggedViewsLeftOut", views.leftOut());
        validateWhitening(views, shrink, report);
        ProjectionHead head = ViewWhitening.fit(views.views(), shrink);
        report.put("space", HeadSpaces.of(baseSpace, head));
        report.put("head", head.digest());
        report.put("trainedAt", started.toString());
        return publish(baseSpace, head, null, report, true, catchUp, started, progress);
    }

    /** Held-out observations at least this many (of two views or more) before validation is worth it. */
    static final int MIN_WHITENING_VALIDATION = 10;

    private static void validateWhitening(ViewSets all, double shrink, ObjectNode report) {
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < all.views().size(); i++) {
            if (all.views().get(i).length >= 2) {
                eligible.add(i);
            }
        }
        if (eligible.size() < MIN_WHITENING_VALIDATION) {
            report.put("warning", "only " + eligible.size() + " observations have two or more views: too few to hold"
                    + " some out and check that whitening helps (it was fitted on all of them, unchecked)");
            return;
        }
        int[] order = eligible.stream().mapToInt(Integer::intValue).toArray();
        new Rng(1).shuffle(order);
        Set<Integer> heldOut = new HashSet<>();
        for (int i = 0; i < Math.max(MIN_WHITENING_VALIDATION / 2, order.length / 5); i++) {
            heldOut.add(order[i]);
        }
        List<float[][]> fit = new ArrayList<>();
        List<Labelled> raw = new ArrayList<>();
        for (int i = 0; i < all.views().size(); i++) {
            if (!heldOut.contains(i)) {
                fit.add(all.views().get(i));
            } else {
                float[][] v = all.views().get(i);
                for (int j = 0; j < v.length; j++) {
                    raw.add(Labelled.of(all.ids().get(i) + "#" + j, v[j], all.ids().get(i)));
                }
            }
        }
        ProjectionHead head = ViewWhitening.fit(fit, shrink);
        List<Labelled> whitened = raw.stream()
                .map(l -> new Labelled(l.id(), head.project(l.vector()), l.labels())).toList();
        RetrievalScores before = RetrievalMetrics.of(raw);
        RetrievalScores after = RetrievalMetrics.of(whitened);
        report.put("validationObservations", heldOut.size());
        scores(report.putObject("validationRaw"), before);
        scores(report.putObject("validationHead"), after);
        report.put("mapAtRChange", after.mapAtR() - before.mapAtR());
        if (after.mapAtR() < before.mapAtR() - 0.01) {
            report.put("warning", "on held-out observations a view finds the other views of its observation worse"
                    + " whitened than raw: keep searching the base space");
        }
    }

    /** Usable views of a space per observation, in id order, without the views its folds flagged. */
    record ViewSets(List<String> ids, List<float[][]> views, int viewCount, int leftOut) {

        static ViewSets of(VectorTable table, String space) {
            Set<String> flagged = new HashSet<>();
            table.forEachObservationSince(space, Instant.EPOCH, o -> o.views().stream()
                    .filter(ObservationRow.ViewScore::outlier).forEach(v -> flagged.add(v.imageId())));
            TreeMap<String, List<float[]>> byObservation = new TreeMap<>();
            int[] leftOut = {0};
            table.forEachImage(space, r -> {
                if (!r.isOk() || r.vector() == null) {
                    return;
                }
                if (flagged.contains(r.imageId())) {
                    leftOut[0]++;
                } else {
                    byObservation.computeIfAbsent(r.observationId(), k -> new ArrayList<>()).add(r.vector());
                }
            });
            List<float[][]> views = new ArrayList<>();
            int count = 0;
            for (List<float[]> v : byObservation.values()) {
                views.add(v.toArray(float[][]::new));
                count += v.size();
            }
            return new ViewSets(List.copyOf(byObservation.keySet()), views, count, leftOut[0]);
        }
    }

    /** Saves the head, projects the base space into its space and, given time, catches up. */
    private Outcome publish(String baseSpace, ProjectionHead head, TrainingReport training, ObjectNode report,
                            boolean refold, Duration catchUp, Instant started, Consumer<String> progress)
            throws IOException {
        Instant saved = clock.instant();
        String headSpace = heads.save(baseSpace, head, report);
        progress.accept("projecting the rows of " + baseSpace + " into " + headSpace);
        Reprojection.Counts counts = Reprojection.all(table, baseSpace, headSpace, head, clock.instant(),
                refold ? foldAfter : null);
        report.put("imagesProjected", counts.images());
        report.put("observationsProjected", counts.observations());
        if (catchUp.compareTo(Duration.ZERO) > 0) {
            catchUp(baseSpace, headSpace, head, saved, catchUp, report, progress);
        }
        report.put("seconds", (clock.millis() - started.toEpochMilli()) / 1000.0);
        return new Outcome(baseSpace, headSpace, head, training, counts, report);
    }

    private void catchUp(String baseSpace, String headSpace, ProjectionHead head, Instant saved, Duration wait,
                         ObjectNode report, Consumer<String> progress) {
        Instant since = saved.minus(wait); // a few rows too many is cheap; one too few is lost
        ObjectNode c = report.putObject("catchUp");
        c.put("waitSeconds", wait.toSeconds());
        c.put("since", since.toString());
        progress.accept("waiting " + wait.toSeconds() + " s for ingest elsewhere to follow the new head,"
                + " then projecting the rows it wrote meanwhile");
        try {
            waiter.await(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.put("warning", "interrupted while waiting: rows encoded elsewhere since " + since
                    + " may be missing from " + headSpace + " (train again to fill them in)");
            return;
        }
        int caught = Reprojection.catchUp(table, baseSpace, headSpace, head, since, clock.instant(), foldAfter);
        c.put("images", caught);
        progress.accept(caught + " images written since the head was saved projected into " + headSpace);
    }

    private ObjectNode report(String baseSpace, ProjectionHead head, TrainingReport r, List<Labelled> data,
                              Instant started) {
        ObjectNode out = json.createObjectNode();
        out.put("baseSpace", baseSpace);
        out.put("space", HeadSpaces.of(baseSpace, head));
        out.put("head", head.digest());
        out.put("trainedAt", started.toString());
        out.put("labelled", data.size());
        TrainingSettings s = r.settings();
        ObjectNode settings = out.putObject("settings");
        settings.put("head", s.head().name().toLowerCase(Locale.ROOT));
        settings.put("outputDim", head.outputDim());
        settings.put("hiddenDim", s.hiddenDim());
        settings.put("loss", s.loss().name().toLowerCase(Locale.ROOT));
        settings.put("mining", s.mining().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        settings.put("margin", s.margin());
        settings.put("learningRate", s.learningRate());
        settings.put("weightDecay", s.weightDecay());
        settings.put("groupsPerBatch", s.groupsPerBatch());
        settings.put("perGroup", s.perGroup());
        settings.put("maxEpochs", s.maxEpochs());
        settings.put("patience", s.patience());
        settings.put("validationFraction", s.validationFraction());
        settings.put("seed", s.seed());
        strings(out.putArray("trainGroups"), r.trainGroups());
        strings(out.putArray("validationGroups"), r.validationGroups());
        out.put("bestEpoch", r.bestEpoch());
        scores(out.putObject("validationRaw"), r.rawValidation());
        scores(out.putObject("validationHead"), r.headValidation());
        out.put("mapAtRChange", r.headValidation().mapAtR() - r.rawValidation().mapAtR());
        if (r.warning() != null) {
            out.put("warning", r.warning());
        } else if (r.validationGroups().size() < MIN_CONVINCING_VALIDATION_GROUPS) {
            // Measured in GroupsBench: with 2 validation groups a 128-d head looked fine and lost 3.5 MAP@R
            // points on 4 other unseen groups. Say how little the validation figures rest on.
            out.put("warning", "only " + r.validationGroups().size() + " groups were held out to validate on, too"
                    + " few to tell whether the head helps groups it has not seen: check it on groups of your own");
        }
        ArrayNode curve = out.putArray("curve");
        for (EpochReport e : r.curve()) {
            ObjectNode point = curve.addObject();
            point.put("epoch", e.epoch());
            point.put("trainLoss", e.trainLoss());
            point.put("activeFraction", e.activeFraction());
            point.put("validationMapAtR", e.validationMapAtR());
            point.put("validationRecallAt1", e.validationRecallAt1());
        }
        return out;
    }

    private static void scores(ObjectNode out, RetrievalScores s) {
        out.put("recallAt1", s.recallAt1());
        out.put("recallAt4", s.recallAt4());
        out.put("mapAtR", s.mapAtR());
        out.put("queries", s.queries());
    }

    private static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }
}
