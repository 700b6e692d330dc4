package dev.viewfold.encode;

import dev.viewfold.errors.Refused;
import dev.viewfold.math.Vectors;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.Sequencers;
import dev.viewfold.store.StoredObject;
import dev.viewfold.store.VectorTable;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The encode use case: object → bytes → pixels → tensor → embedding → image row.
 * Reading and decoding run on the decode pool while the caller's thread runs the model; one bad
 * image becomes a failed row and never stops the batch. Idempotent: an object whose content,
 * observation and view are already in the table is skipped.
 */
public final class Encoder {

    private static final Logger LOG = Logger.getLogger(Encoder.class);

    private final OnnxEmbeddingModel model;
    private final String space;
    private final VectorTable table;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final ExecutorService decodePool;
    private final long maxBytes;
    private final Clock clock;
    private final Consumer<RowsChanged> rowsChanged;

    public Encoder(OnnxEmbeddingModel model, String space, VectorTable table, ImageDecoder decoder,
                   ExecutorService decodePool, long maxBytes, Clock clock) {
        this(model, space, table, decoder, decodePool, maxBytes, clock, changed -> { });
    }

    /**
     * @param rowsChanged told of every batch of rows written or removed (the in-process aggregate
     *                    trigger); it runs on the encoding thread, after the table has them
     */
    public Encoder(OnnxEmbeddingModel model, String space, VectorTable table, ImageDecoder decoder,
                   ExecutorService decodePool, long maxBytes, Clock clock, Consumer<RowsChanged> rowsChanged) {
        this.rowsChanged = rowsChanged;
        this.model = model;
        this.space = space;
        this.table = table;
        this.decoder = decoder;
        this.preprocessor = new Preprocessor(model.spec());
        this.decodePool = decodePool;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    public String space() {
        return space;
    }

    public int dimension() {
        return model.dimension();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Embeds one image given as bytes, storing nothing (a search query): decoded, preprocessed and
     * run exactly as an upload would be, so the query lands in the same space as the rows.
     */
    public float[] embed(byte[] bytes) throws BadImageException {
        float[] vector = model.embed(List.of(preprocessor.toTensor(decoder.decode(bytes))))[0];
        String unusable = dev.viewfold.math.Vectors.normaliseInPlace(vector);
        if (unusable != null) {
            throw new BadImageException(unusable);
        }
        return vector;
    }

    /**
     * Encodes one batch and writes its rows. Throws only when the store or table cannot be reached
     * (the caller retries the batch; rows written are idempotent), never for a bad image.
     */
    public List<EncodeOutcome> encode(ObjectStore store, List<EncodeRequest> requests) {
        return finish(start(store, requests));
    }

    /** A batch being read and decoded on the decode pool. */
    public static final class Pending {
        private final List<CompletableFuture<Prepared>> futures;

        private Pending(List<CompletableFuture<Prepared>> futures) {
            this.futures = futures;
        }

        /** Waits until every object is read and decoded (tests stage races with it). */
        void awaitPrepared() {
            futures.forEach(f -> f.handle((r, e) -> r).join());
        }
    }

    /**
     * Starts reading and decoding a batch on the decode pool and returns at once, so the caller
     * can run the model on the previous batch meanwhile ({@link dev.viewfold.events.BatchRunner}).
     */
    public Pending start(ObjectStore store, List<EncodeRequest> requests) {
        List<CompletableFuture<Prepared>> futures = new ArrayList<>(requests.size());
        for (EncodeRequest r : requests) {
            futures.add(CompletableFuture.supplyAsync(() -> prepare(store, r), decodePool));
        }
        return new Pending(futures);
    }

    /** Waits for a started batch, runs the model on it, writes its rows. */
    public List<EncodeOutcome> finish(Pending pending) {
        List<Prepared> prepared = new ArrayList<>(pending.futures.size());
        for (CompletableFuture<Prepared> f : pending.futures) {
            try {
                prepared.add(f.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }

        List<float[]> tensors = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p.tensor != null) {
                tensors.add(p.tensor);
            }
        }
        float[][] vectors = tensors.isEmpty() ? new float[0][] : model.embed(tensors);

        List<ImageRow> rows = new ArrayList<>();
        List<EncodeOutcome> outcomes = new ArrayList<>(prepared.size());
        var now = clock.instant();
        int next = 0;
        for (Prepared p : prepared) {
            if (p.outcome != null) {
                outcomes.add(p.outcome);
                if (p.failedRow != null) {
                    rows.add(p.failedRow.replacing(p.previous));
                }
                continue;
            }
            float[] v = vectors[next++];
            String reason = Vectors.normaliseInPlace(v);
            ImageRow row = (reason == null
                    ? ImageRow.ok(p.uri, space, p.observationId, p.viewId, p.hash, v, now)
                    : ImageRow.failed(p.uri, space, p.observationId, p.viewId, p.hash, reason, now))
                    .withLabels(p.labels).fromEvent(p.sequencer);
            rows.add(row.replacing(p.previous));
            outcomes.add(new EncodeOutcome(p.uri, p.observationId, p.viewId,
                    reason == null ? EncodeOutcome.Kind.ENCODED : EncodeOutcome.Kind.FAILED, reason));
        }
        if (!rows.isEmpty()) {
            List<ImageRow> written = table.putImages(rows);
            if (written.size() < rows.size()) {
                outcomes = superseded(outcomes, rows, written);
            }
            // Only what landed changes observations: a row refused as older must not be folded in.
            rowsChanged.accept(new RowsChanged(written, movedAway(prepared, written, now)));
        }
        return outcomes;
    }

    /**
     * Removes the rows of deleted objects. An object that exists again (re-uploaded after the
     * delete, its events arriving out of order) keeps its row.
     */
    public List<EncodeOutcome> forget(ObjectStore store, List<String> keys) {
        List<EncodeOutcome> outcomes = new ArrayList<>();
        List<ImageRow> gone = new ArrayList<>();
        var now = clock.instant();
        for (String key : keys) {
            String uri;
            try {
                uri = store.uri(key);
            } catch (IllegalArgumentException e) {
                outcomes.add(new EncodeOutcome(key, null, null, EncodeOutcome.Kind.FAILED, "not removed: " + e.getMessage()));
                continue;
            }
            try {
                if (store.exists(key)) {
                    continue; // there again: a later create wins
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Optional<ImageRow> row = table.findImage(space, uri);
            if (row.isPresent() && table.deleteImageIfUnchanged(space, uri, row.get().updatedAt())) {
                ImageRow r = row.get();
                // what the in-process trigger needs: which observation changed, and when
                gone.add(r.touched(now));
                outcomes.add(new EncodeOutcome(uri, r.observationId(), r.viewId(), EncodeOutcome.Kind.REMOVED, null));
            }
        }
        if (!gone.isEmpty()) {
            rowsChanged.accept(new RowsChanged(List.of(), gone));
        }
        return outcomes;
    }

    /** Outcomes with the rows the table refused (an older event than the stored row's) as superseded. */
    private static List<EncodeOutcome> superseded(List<EncodeOutcome> outcomes, List<ImageRow> rows, List<ImageRow> written) {
        java.util.Set<String> landed = new java.util.HashSet<>();
        written.forEach(r -> landed.add(r.imageId()));
        java.util.Set<String> refused = new java.util.HashSet<>();
        rows.forEach(r -> {
            if (!landed.contains(r.imageId())) {
                refused.add(r.imageId());
            }
        });
        List<EncodeOutcome> out = new ArrayList<>(outcomes.size());
        for (EncodeOutcome o : outcomes) {
            out.add(refused.contains(o.imageId())
                    ? new EncodeOutcome(o.imageId(), o.observationId(), o.viewId(), EncodeOutcome.Kind.UNCHANGED,
                            "superseded by a newer event")
                    : o);
        }
        return out;
    }

    /** Rows whose image now belongs to another observation, as they were: their old observation changes too. */
    private static List<ImageRow> movedAway(List<Prepared> prepared, List<ImageRow> written, java.time.Instant now) {
        java.util.Set<String> landed = new java.util.HashSet<>();
        written.forEach(r -> landed.add(r.imageId()));
        List<ImageRow> moved = new ArrayList<>();
        for (Prepared p : prepared) {
            ImageRow before = p.previous;
            if (before != null && p.observationId != null && landed.contains(before.imageId())
                    && !before.observationId().equals(p.observationId)) {
                moved.add(before.touched(now));
            }
        }
        return moved;
    }

    /** Everything before the model: runs on the decode pool. */
    private Prepared prepare(ObjectStore store, EncodeRequest request) {
        String uri;
        String sequencer;
        try {
            uri = store.uri(request.key());
            sequencer = Sequencers.comparable(request.sequencer());
        } catch (IllegalArgumentException | Refused e) { // no row can name it: say so, and let the rest of the batch go on
            return Prepared.done(new EncodeOutcome(request.key(), null, null, EncodeOutcome.Kind.FAILED,
                    "not encoded, no row written: " + e.getMessage()));
        }
        if (sequencer != null) {
            Optional<ImageRow> stored = findPrevious(uri);
            if (stored.isPresent() && stored.get().newerThan(sequencer)) {
                // An older event, delivered late: the row already holds a newer version.
                return Prepared.done(new EncodeOutcome(uri, stored.get().observationId(), stored.get().viewId(),
                        EncodeOutcome.Kind.UNCHANGED, "superseded by a newer event"));
            }
        }
        StoredObject object;
        try {
            object = store.get(request.key(), maxBytes);
        } catch (ObjectStore.ObjectNotFoundException e) {
            LOG.debugf("skipping %s: %s", uri, e.getMessage());
            return Prepared.done(new EncodeOutcome(uri, null, null, EncodeOutcome.Kind.MISSING, e.getMessage()));
        } catch (ObjectStore.ObjectTooLargeException e) {
            var named = ObservationNaming.assign(request, java.util.Map.of());
            Optional<ImageRow> previous = findPrevious(uri);
            return failed(uri, named, keptLabels(request.labels(), previous), null, previous,
                    "file too large: " + e.size + " bytes exceeds the " + maxBytes + "-byte limit (viewfold.encode.max-bytes)")
                    .from(sequencer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var named = ObservationNaming.assign(request, object.metadata());
        String hash = sha256(object.bytes());
        Optional<ImageRow> previous = findPrevious(uri);
        java.util.Set<String> labels;
        try {
            labels = keptLabels(ObservationNaming.labels(request, object.metadata()), previous);
        } catch (Refused e) {
            return failed(uri, named, keptLabels(null, previous), hash, previous, e.getMessage()).from(sequencer);
        }
        if (previous.isPresent() && hash.equals(previous.get().contentHash())
                && named.observationId().equals(previous.get().observationId())
                && named.viewId().equals(previous.get().viewId())) {
            if (labels.equals(previous.get().labels())) {
                return Prepared.done(new EncodeOutcome(uri, named.observationId(), named.viewId(),
                        EncodeOutcome.Kind.UNCHANGED, previous.get().error()));
            }
            // Same pixels, new labels: rewrite the row without running the model again.
            Prepared p = Prepared.done(new EncodeOutcome(uri, named.observationId(), named.viewId(),
                    EncodeOutcome.Kind.RELABELLED, previous.get().error()));
            p.failedRow = previous.get().withLabels(labels).touched(clock.instant());
            p.previous = previous.get();
            return p.from(sequencer);
        }
        try {
            DecodedImage image = decoder.decode(object.bytes());
            Prepared p = new Prepared(uri, named.observationId(), named.viewId(), hash, previous.orElse(null));
            p.labels = labels;
            p.tensor = preprocessor.toTensor(image);
            p.sequencer = sequencer;
            return p;
        } catch (BadImageException e) {
            return failed(uri, named, labels, hash, previous, e.getMessage()).from(sequencer);
        } catch (RuntimeException e) {
            // A decoder bug on one odd file must not take the batch down with it.
            LOG.warnf(e, "unexpected failure decoding %s", uri);
            return failed(uri, named, labels, hash, previous, "cannot decode: " + e).from(sequencer);
        }
    }

    private Optional<ImageRow> findPrevious(String uri) {
        return table.findImage(space, uri);
    }

    /** The labels the request or metadata state, or else those the row already has. */
    private static java.util.Set<String> keptLabels(java.util.Set<String> stated, Optional<ImageRow> previous) {
        return stated != null ? stated : previous.map(ImageRow::labels).orElse(java.util.Set.of());
    }

    private Prepared failed(String uri, ObservationNaming.Assigned named, java.util.Set<String> labels, String hash,
                            Optional<ImageRow> previous, String reason) {
        LOG.infof("failed %s: %s", uri, reason);
        Prepared p = Prepared.done(new EncodeOutcome(uri, named.observationId(), named.viewId(),
                EncodeOutcome.Kind.FAILED, reason));
        p.failedRow = ImageRow.failed(uri, space, named.observationId(), named.viewId(), hash, reason, clock.instant())
                .withLabels(labels);
        p.previous = previous.orElse(null);
        return p;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(ModelSpace.sha256().digest(bytes));
    }

    /** The state of one request between reading and the model. */
    private static final class Prepared {
        final String uri;
        final String observationId;
        final String viewId;
        final String hash;
        ImageRow previous;
        float[] tensor;
        EncodeOutcome outcome;
        /** A row to write without running the model: a failure, or a relabelled unchanged image. */
        ImageRow failedRow;
        java.util.Set<String> labels = java.util.Set.of();
        /** The S3 event's sequencer (comparable form), or null. */
        String sequencer;

        Prepared from(String eventSequencer) {
            this.sequencer = eventSequencer;
            if (failedRow != null) {
                failedRow = failedRow.fromEvent(eventSequencer);
            }
            return this;
        }

        Prepared(String uri, String observationId, String viewId, String hash, ImageRow previous) {
            this.uri = uri;
            this.observationId = observationId;
            this.viewId = viewId;
            this.hash = hash;
            this.previous = previous;
        }

        static Prepared done(EncodeOutcome outcome) {
            Prepared p = new Prepared(outcome.imageId(), outcome.observationId(), outcome.viewId(), null, null);
            p.outcome = outcome;
            return p;
        }
    }
}
