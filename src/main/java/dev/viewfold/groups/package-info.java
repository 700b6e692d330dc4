/**
 * Groups: learning from labelled items what "the same group" means, on top of frozen embeddings.
 *
 * <ul>
 *   <li>{@link dev.viewfold.groups.MetricTrainer} trains a small {@link dev.viewfold.groups.ProjectionHead}
 *       (linear or a one-hidden-layer MLP, output L2-normalised) with a triplet or contrastive loss on
 *       P×K batches, validating on groups it never trains on, and says when the head does not beat
 *       the raw embeddings on those ({@link dev.viewfold.groups.TrainingReport#warning()}).</li>
 *   <li>{@link dev.viewfold.groups.ViewWhitening} fits a linear head without labels, from the views of each
 *       observation: the learned whitening under which one folded vector retrieves as well as every
 *       view indexed.</li>
 *   <li>{@link dev.viewfold.groups.RetrievalMetrics}: leave-one-out Recall@k and MAP@R.</li>
 *   <li>{@link dev.viewfold.groups.GroupClassifier} (kNN or prototypes) scores a vector against the
 *       groups; {@link dev.viewfold.groups.Calibration} picks per-group thresholds on held-out items so
 *       that "none of them" and "several of them" are possible answers.</li>
 * </ul>
 *
 * Domain code only: plain Java over {@code float[]}, no I/O, no framework, no reflection. Training is
 * single-threaded and seeded, so the same data and settings give the same head, byte for byte.
 */
package dev.viewfold.groups;
