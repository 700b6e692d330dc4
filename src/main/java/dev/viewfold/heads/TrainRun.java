package dev.viewfold.heads;

import dev.viewfold.errors.Refused;
import dev.viewfold.groups.HeldOutSplit;
import dev.viewfold.groups.Labelled;
import dev.viewfold.groups.MetricTrainer;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.groups.RetrievalMetrics;
import dev.viewfold.groups.RetrievalScores;
import dev.viewfold.groups.TrainingReport;
import dev.viewfold.groups.TrainingResult;
import dev.viewfold.groups.TrainingSettings;
import dev.viewfold.groups.ViewWhitening;
import dev.viewfold.labels.LabelledRows;
import dev.viewfold.math.Rng;
import dev.viewfold.space.Space;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The train use case: learns a projection head on the labelled observations of a model space,
 * projects the space's rows into the head's space, and only then lists the head (its
 * {@link HeadReport}, written last): a crash midway leaves no listed head with an empty space. Rows
 * ingest in this process wrote while the space was being filled are projected right after the head
 * is listed.
 *
 * <p>Ingest in other processes (encode Lambdas, workers) follows a new head only once it re-reads
 * the list of heads ({@code viewfold.groups.heads-refresh}); what it writes before that never
 * reaches the head's space. Given a catch-up time, the run waits that long after listing the head
 * and then projects the base rows stamped since one such time before the listing (rows are stamped
 * before they are written, on other hosts' clocks, and a slow write may land after the full
 * projection passed it), handing them on to be folded. Images deleted meanwhile stay in the
 * head's space.
 */
public final class TrainRun {

    /** What a run made; {@code training} is null for a whitening head, which is fitted, not trained. */
    public record Outcome(Space headSpace, ProjectionHead head, TrainingReport training, HeadReport report) {
    }

    /** Fewer validation groups than this and the report says the validation figures are thin. */
    static final int MIN_CONVINCING_VALIDATION_GROUPS = 5;
    /** Rows committed out of clock order by this process's own ingest are caught by looking this far back. */
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    /** Waits out the catch-up time: a seam, so that tests can play ingest elsewhere instead of sleeping. */
    public interface Waiter {
        void await(Duration time) throws InterruptedException;
    }

    private final VectorTable table;
    private final HeadStore heads;
    private final Clock clock;
    private final Consumer<RowsChanged> foldAfter;
    private final Waiter waiter;
    private final String version;
    private final double heldOutFraction;
    private final long heldOutSeed;
    /** One run at a time in a process: two would train on the same rows and race to fill two spaces. */
    private final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();

    /**
     * @param foldAfter takes the rows the catch-up projects (the aggregator, or nothing where a stream folds)
     * @param version   this build's version, recorded in every report
     */
    public TrainRun(VectorTable table, HeadStore heads, Clock clock, Consumer<RowsChanged> foldAfter, Waiter waiter,
                    String version) {
        this(table, heads, clock, foldAfter, waiter, version, 0, 0);
    }

    /**
     * @param heldOutFraction share of each group's labelled observations a trained head never sees
     *                        ({@code viewfold.groups.held-out-fraction}; 0: none), chosen as classifiers choose
     *                        theirs ({@link HeldOutSplit}, with {@code heldOutSeed})
     */
    public TrainRun(VectorTable table, HeadStore heads, Clock clock, Consumer<RowsChanged> foldAfter, Waiter waiter,
                    String version, double heldOutFraction, long heldOutSeed) {
        this.heldOutFraction = heldOutFraction;
        this.heldOutSeed = heldOutSeed;
        this.table = table;
        this.heads = heads;
        this.clock = clock;
        this.foldAfter = foldAfter;
        this.waiter = waiter;
        this.version = version;
    }

    /**
     * What a head learns from: labelled observations (each folded from its views), or labelled images
     * (each photo an example: for collections whose observations are whole groups, such as a folder
     * per species).
     */
    public enum Examples { OBSERVATIONS, IMAGES }

    /**
     * Makes the head the options ask for: fits a whitening head, or trains one.
     *
     * @param catchUp how long to wait for ingest elsewhere before projecting what it wrote (zero: not at all)
     * @throws Refused when the options or the space's data cannot make a head
     */
    public Outcome run(Space modelSpace, TrainOptions options, Duration catchUp, Consumer<String> progress)
            throws IOException {
        boolean whiten = options.whitening();
        double shrink = whiten ? options.whiteningShrink() : 0;
        TrainingSettings settings = whiten ? null : options.settings();
        TrainRun.Examples examples = whiten ? null : options.examplesKind();
        if (!running.tryLock()) {
            throw Refused.conflict("a training run is already in progress; try again when it has finished");
        }
        try {
            return whiten ? whiten(modelSpace, shrink, catchUp, progress)
                    : train(modelSpace, settings, examples, catchUp, progress);
        } finally {
            running.unlock();
        }
    }

    /**
     * Trains, projects and lists; after {@code catchUp} (zero: not at all) projects what ingest
     * elsewhere wrote meanwhile.
     *
     * @throws Refused (conflict) when the space's labelled examples cannot train a head
     */
    public Outcome train(Space modelSpace, TrainingSettings settings, Examples examples, Duration catchUp,
                         Consumer<String> progress) throws IOException {
        requireModelSpace(modelSpace, "train on");
        Instant started = clock.instant();
        List<Labelled> observations = LabelledRows.observations(table, modelSpace.id());
        Set<String> heldOut = heldOut(observations);
        List<Labelled> data = examples == Examples.IMAGES ? LabelledRows.images(table, modelSpace.id(), heldOut)
                : observations.stream().filter(o -> !heldOut.contains(o.id())).toList();
        String what = examples.name().toLowerCase(Locale.ROOT);
        if (data.isEmpty()) {
            throw Refused.conflict("space " + modelSpace + " has no labelled " + what + ": give images"
                    + " labels (the ingest manifest's label column, the object's labels metadata, or the labels function)");
        }
        progress.accept("training on " + data.size() + " labelled " + what + " (" + heldOut.size()
                + " labelled observations held out, for classifiers in its space to be checked on)");
        TrainingResult result;
        try {
            result = MetricTrainer.train(data, settings, epoch -> progress.accept(String.format(
                    Locale.ROOT, "epoch %d: loss %.4f, validation MAP@R %.4f", epoch.epoch(), epoch.trainLoss(),
                    epoch.validationMapAtR())));
        } catch (IllegalArgumentException e) { // the labelled data cannot be split or batched as asked
            throw Refused.conflict(e.getMessage());
        }
        ProjectionHead head = result.head();
        TrainingReport r = result.report();
        String warning = r.warning();
        if (warning == null && r.validationGroups().size() < MIN_CONVINCING_VALIDATION_GROUPS) {
            // Measured in GroupsBench: with 2 validation groups a 128-d head looked fine and lost 3.5 MAP@R
            // points on 4 other unseen groups. Say how little the validation figures rest on.
            warning = "only " + r.validationGroups().size() + " groups were held out to validate on, too"
                    + " few to tell whether the head helps groups it has not seen: check it on groups of your own";
        }
        HeadReport report = new HeadReport(modelSpace.id(), modelSpace.withHead(head.digest()).id(), head.digest(),
                started.toString(), version, what, data.size(), heldOut.size(), null, null, null,
                HeadReport.Settings.of(r.settings(), head.outputDim()), r.trainGroups(), r.validationGroups(),
                r.bestEpoch(), null, HeadReport.Scores.of(r.rawValidation()), HeadReport.Scores.of(r.headValidation()),
                r.headValidation().mapAtR() - r.rawValidation().mapAtR(), warning,
                r.curve().stream().map(HeadReport.CurvePoint::of).toList(), null, null, null, null);
        heads.saveHeldOut(modelSpace, head.digest(), heldOut);
        return publish(modelSpace, head, r, report, false, catchUp, started, progress);
    }

    /** The labelled observations a head leaves out (see {@link HeldOutSplit}), none when the fraction is 0. */
    private Set<String> heldOut(List<Labelled> observations) {
        Set<String> out = new java.util.TreeSet<>();
        if (heldOutFraction > 0 && !observations.isEmpty()) {
            boolean[] held = HeldOutSplit.of(observations, heldOutFraction, heldOutSeed);
            for (int i = 0; i < held.length; i++) {
                if (held[i]) {
                    out.add(observations.get(i).id());
                }
            }
        }
        return out;
    }

    /**
     * Learns a whitening head from the observations' own views ({@link ViewWhitening}): no labels
     * needed. Views the model space's folds flagged as outliers are left out of the fit. Before the
     * head kept is fitted on every observation, one fitted without a held-out fifth of them (at least
     * 5, when there are at least {@value #MIN_WHITENING_VALIDATION} with two views) is scored on those: how
     * well a view finds the other views of its observation, raw and whitened. Observations in the
     * head's space are folded again from the whitened views.
     *
     * @throws Refused when fewer than two observations have two usable views
     */
    public Outcome whiten(Space modelSpace, double shrink, Duration catchUp, Consumer<String> progress)
            throws IOException {
        requireModelSpace(modelSpace, "whiten");
        String badShrink = ViewWhitening.shrinkProblem(shrink);
        if (badShrink != null) {
            throw Refused.invalid(badShrink);
        }
        Instant started = clock.instant();
        ViewSets views = ViewSets.of(table, modelSpace.id());
        progress.accept("whitening from " + views.viewCount() + " views of " + views.ids().size() + " observations ("
                + views.leftOut() + " flagged views left out)");
        Validation v;
        ProjectionHead head;
        try {
            v = validateWhitening(views, shrink);
            head = ViewWhitening.fit(views.views(), shrink);
        } catch (IllegalArgumentException e) { // too few views, a singular covariance: said in words
            throw Refused.conflict(e.getMessage());
        }
        HeadReport report = new HeadReport(modelSpace.id(), modelSpace.withHead(head.digest()).id(), head.digest(),
                started.toString(), version, null, null, null, views.ids().size(), views.viewCount(), views.leftOut(),
                HeadReport.Settings.whitening(shrink), null, null, null, v.heldOut(), v.raw(), v.whitened(),
                v.raw() == null ? null : v.whitened().mapAtR() - v.raw().mapAtR(), v.warning(), null, null, null, null,
                null);
        return publish(modelSpace, head, null, report, true, catchUp, started, progress);
    }

    private static void requireModelSpace(Space space, String what) {
        if (space.isHead()) {
            throw Refused.invalid("space " + space + " is a head's space: " + what + " its model space, " + space.base());
        }
    }

    /** Held-out observations at least this many (of two views or more) before validation is worth it. */
    static final int MIN_WHITENING_VALIDATION = 10;

    /** A whitening head's check on held-out observations; all null but the warning when there were too few. */
    private record Validation(Integer heldOut, HeadReport.Scores raw, HeadReport.Scores whitened, String warning) {
    }

    private static Validation validateWhitening(ViewSets all, double shrink) {
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < all.views().size(); i++) {
            if (all.views().get(i).length >= 2) {
                eligible.add(i);
            }
        }
        if (eligible.size() < MIN_WHITENING_VALIDATION) {
            return new Validation(null, null, null, "only " + eligible.size() + " observations have two or more"
                    + " views: too few to hold some out and check that whitening helps (it was fitted on all of them,"
                    + " unchecked)");
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
        String warning = after.mapAtR() < before.mapAtR() - 0.01
                ? "on held-out observations a view finds the other views of its observation worse whitened than raw:"
                        + " keep searching the model space"
                : null;
        return new Validation(heldOut.size(), HeadReport.Scores.of(before), HeadReport.Scores.of(after), warning);
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

    /**
     * Writes the weights, fills the head's space, lists the head, projects what this process wrote
     * meanwhile and, given time, catches up with ingest elsewhere.
     */
    private Outcome publish(Space modelSpace, ProjectionHead head, TrainingReport training, HeadReport report,
                            boolean refold, Duration catchUp, Instant started, Consumer<String> progress)
            throws IOException {
        Instant filling = clock.instant();
        Space headSpace = heads.saveWeights(modelSpace, head);
        progress.accept("projecting the rows of " + modelSpace + " into " + headSpace);
        Reprojection.Counts counts = Reprojection.all(table, modelSpace.id(), headSpace.id(), head, clock.instant(),
                refold ? foldAfter : null);
        HeadReport listed = report.projected(counts.images(), counts.observations(), null, secondsSince(started));
        heads.publish(listed);
        Instant published = clock.instant();
        // Ingest in this process followed the head only from the listing on: what it wrote meanwhile.
        Reprojection.catchUp(table, modelSpace.id(), headSpace.id(), head, filling.minus(OVERLAP), clock.instant(),
                foldAfter);
        if (catchUp.compareTo(Duration.ZERO) <= 0) {
            return new Outcome(headSpace, head, training, listed);
        }
        HeadReport.CatchUp caught = catchUp(modelSpace, headSpace, head, published, catchUp, progress);
        HeadReport done = report.projected(counts.images(), counts.observations(), caught, secondsSince(started));
        heads.publish(done);
        return new Outcome(headSpace, head, training, done);
    }

    private double secondsSince(Instant started) {
        return (clock.millis() - started.toEpochMilli()) / 1000.0;
    }

    private HeadReport.CatchUp catchUp(Space modelSpace, Space headSpace, ProjectionHead head, Instant published,
                                       Duration wait, Consumer<String> progress) {
        Instant since = published.minus(wait); // a few rows too many is cheap; one too few is lost
        progress.accept("waiting " + wait.toSeconds() + " s for ingest elsewhere to follow the new head,"
                + " then projecting the rows it wrote meanwhile");
        try {
            waiter.await(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HeadReport.CatchUp(wait.toSeconds(), since.toString(), null, "interrupted while waiting: rows"
                    + " encoded elsewhere since " + since + " may be missing from " + headSpace
                    + " (train again to fill them in)");
        }
        int caught = Reprojection.catchUp(table, modelSpace.id(), headSpace.id(), head, since, clock.instant(),
                foldAfter);
        progress.accept(caught + " images written since the head was listed projected into " + headSpace);
        return new HeadReport.CatchUp(wait.toSeconds(), since.toString(), caught, null);
    }
}
