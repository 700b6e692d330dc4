package dev.viewfold.heads;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.viewfold.groups.EpochReport;
import dev.viewfold.groups.RetrievalScores;
import dev.viewfold.groups.TrainingSettings;

import java.util.List;
import java.util.Locale;

/**
 * A head's provenance and figures: what data it learned from, with which parameters, made by which
 * version, and how it retrieves with and without it. Stored beside the head as
 * {@code heads/<model space>/<digest>.json} (writing it last is what lists the head), answered by
 * {@code POST /train}, printed by the {@code train} command: one type for all three. Fields that do
 * not apply to a kind of head are left out (null).
 *
 * @param examples              what a trained head learned from: {@code observations} or {@code images}
 * @param labelled              how many labelled examples it learned from
 * @param heldOutObservations   how many labelled observations it was not trained on (their images neither), so
 *                              that classifiers in its space are checked on rows it never saw
 * @param observations          whitening: observations whose views it was fitted on
 * @param views                 whitening: views it was fitted on
 * @param flaggedViewsLeftOut   whitening: views the folds flagged as outliers, left out of the fit
 * @param validationObservations whitening: held-out observations its validation figures come from
 * @param validationRaw         retrieval on the validation items with the raw embeddings
 * @param validationHead        the same in the head's space
 * @param warning               a sentence when the figures say the head may not help, else null
 * @param catchUp               what was projected after waiting for ingest elsewhere, or null
 * @param seconds               how long the whole run took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeadReport(String baseSpace, String space, String head, String trainedAt, String viewfoldVersion,
                         String examples, Integer labelled, Integer heldOutObservations, Integer observations, Integer views,
                         Integer flaggedViewsLeftOut, Settings settings, List<String> trainGroups,
                         List<String> validationGroups, Integer bestEpoch, Integer validationObservations,
                         Scores validationRaw, Scores validationHead, Double mapAtRChange, String warning,
                         List<CurvePoint> curve, Integer imagesProjected, Integer observationsProjected,
                         CatchUp catchUp, Double seconds) {

    /** The parameters the head was made with; a whitening head has {@code head} and {@code shrink} only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Settings(String head, Integer outputDim, Integer hiddenDim, String loss, String mining, Float margin,
                           Float learningRate, Float weightDecay, Integer groupsPerBatch, Integer perGroup,
                           Integer maxEpochs, Integer patience, Double validationFraction, Long seed, Double shrink) {

        static Settings of(TrainingSettings s, int outputDim) {
            return new Settings(s.head().name().toLowerCase(Locale.ROOT), outputDim, s.hiddenDim(),
                    s.loss().name().toLowerCase(Locale.ROOT), s.mining().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    s.margin(), s.learningRate(), s.weightDecay(), s.groupsPerBatch(), s.perGroup(), s.maxEpochs(),
                    s.patience(), s.validationFraction(), s.seed(), null);
        }

        static Settings whitening(double shrink) {
            return new Settings("whiten", null, null, null, null, null, null, null, null, null, null, null, null, null,
                    shrink);
        }
    }

    /** Leave-one-out retrieval figures (see {@code groups.RetrievalMetrics}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Scores(double recallAt1, double recallAt4, double mapAtR, int queries) {
        static Scores of(RetrievalScores s) {
            return new Scores(s.recallAt1(), s.recallAt4(), s.mapAtR(), s.queries());
        }
    }

    /** One epoch of the training curve (epoch 0 is the head before any step). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CurvePoint(int epoch, double trainLoss, double activeFraction, double validationMapAtR,
                             double validationRecallAt1) {
        static CurvePoint of(EpochReport e) {
            return new CurvePoint(e.epoch(), e.trainLoss(), e.activeFraction(), e.validationMapAtR(),
                    e.validationRecallAt1());
        }
    }

    /**
     * The wait for ingest in other processes to follow the head, and what it projected after.
     *
     * @param since  rows stamped from this time on were projected again
     * @param images how many, or null when the wait was cut short
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CatchUp(long waitSeconds, String since, Integer images, String warning) {
    }

    /** Whether this is a whitening head (fitted from views, no labels), not a trained one. */
    public boolean whitening() {
        return settings != null && "whiten".equals(settings.head());
    }

    /** The same report with what the projection and the catch-up did, and the run's length. */
    HeadReport projected(int images, int observations, CatchUp caughtUp, double runSeconds) {
        return new HeadReport(baseSpace, space, head, trainedAt, viewfoldVersion, examples, labelled, heldOutObservations, this.observations,
                views, flaggedViewsLeftOut, settings, trainGroups, validationGroups, bestEpoch, validationObservations,
                validationRaw, validationHead, mapAtRChange, warning, curve, images, observations, caughtUp, runSeconds);
    }
}
