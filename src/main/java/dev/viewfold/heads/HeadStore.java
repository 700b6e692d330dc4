package dev.viewfold.heads;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.space.Space;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Projection heads in the bucket ({@link BucketLayout#heads}): a head's weights
 * ({@code <digest>.vfhd}) and its report ({@code <digest>.json}, a {@link HeadReport}). A head is
 * listed when its report is there, and the report is written last, once the head's space is
 * filled: a crash before that leaves weights nobody lists, never a listed head with an empty space.
 * The listing is the bucket's own, so two processes saving heads at once cannot lose each other's
 * (there is no shared index file to read, change and write back). Heads and reports never change once
 * written, so what was read is cached for good.
 */
public final class HeadStore {

    private static final Logger LOG = Logger.getLogger(HeadStore.class);
    private static final long MAX_HEAD_BYTES = 256L << 20;
    private static final String REPORT = ".json";

    private final ObjectStore bucket;
    private final ObjectMapper json;
    private final Map<String, ProjectionHead> loaded = new ConcurrentHashMap<>();
    private final Map<String, HeadReport> reports = new ConcurrentHashMap<>();
    private final Map<String, java.util.Optional<java.util.Set<String>>> heldOut = new ConcurrentHashMap<>();
    private final AtomicLong saves = new AtomicLong();

    public HeadStore(ObjectStore bucket, ObjectMapper json) {
        this.bucket = bucket;
        this.json = json;
    }

    /** Writes a head's weights, unlisted: its space can be filled, then {@link #publish} lists it. */
    public Space saveWeights(Space modelSpace, ProjectionHead head) throws IOException {
        Space space = modelSpace.withHead(head.digest());
        bucket.put(BucketLayout.headWeights(modelSpace.id(), head.digest()), head.toBytes(), Map.of("space", space.id()));
        loaded.put(space.id(), head);
        return space;
    }

    /** Writes which labelled observations the head was not trained on (before its report lists it). */
    public void saveHeldOut(Space modelSpace, String digest, java.util.Set<String> observationIds) throws IOException {
        String lines = String.join("\n", new java.util.TreeSet<>(observationIds));
        bucket.put(BucketLayout.headHeldOut(modelSpace.id(), digest),
                lines.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
        heldOut.put(modelSpace.withHead(digest).id(), java.util.Optional.of(java.util.Set.copyOf(observationIds)));
    }

    /**
     * The labelled observations a head space's head was not trained on; empty for a whitening head,
     * for the model space, and for a head trained before heads held any out (trained on every one).
     */
    public java.util.Optional<java.util.Set<String>> heldOut(Space space) {
        if (!space.isHead()) {
            return java.util.Optional.empty();
        }
        return heldOut.computeIfAbsent(space.id(), s -> {
            try {
                String text = new String(bucket.get(BucketLayout.headHeldOut(space.model(), space.headDigest()),
                        MAX_HEAD_BYTES).bytes(), java.nio.charset.StandardCharsets.UTF_8);
                return java.util.Optional.of(text.isEmpty() ? java.util.Set.<String>of()
                        : java.util.Set.copyOf(java.util.Arrays.asList(text.split("\n"))));
            } catch (ObjectStore.ObjectNotFoundException e) {
                return java.util.Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Writes the head's report, which lists it: from now on every process follows it. */
    public void publish(HeadReport report) throws IOException {
        Space space = Space.parse(report.space());
        bucket.put(BucketLayout.headReport(space.model(), space.headDigest()),
                json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report), Map.of());
        reports.put(space.id(), report);
        saves.incrementAndGet();
    }

    /** How many heads this process has published: when it moves, a cached list of heads is out of date. */
    public long saves() {
        return saves.get();
    }

    /** The head spaces trained on a model space, oldest first. */
    public List<Space> spacesOf(Space modelSpace) {
        List<HeadReport> listed = new ArrayList<>();
        try {
            for (String key : bucket.list(BucketLayout.heads(modelSpace.id()))) {
                String name = key.substring(key.lastIndexOf('/') + 1);
                if (name.endsWith(REPORT) && !name.equals("index.json")) { // index.json: the listing before reports were
                    String digest = name.substring(0, name.length() - REPORT.length());
                    try {
                        listed.add(report(modelSpace.withHead(digest)));
                    } catch (UncheckedIOException | IllegalArgumentException e) {
                        LOG.warnf("head %s of %s left out: its report %s cannot be read (%s)", digest, modelSpace,
                                key, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listed.sort(Comparator.comparing((HeadReport r) -> r.trainedAt() == null ? "" : r.trainedAt())
                .thenComparing(HeadReport::space));
        return listed.stream().map(r -> Space.parse(r.space())).toList();
    }

    /** Whether a head space has weights but no report yet: being filled, or left so by a run that died. */
    public boolean unlisted(Space headSpace) {
        try {
            return !bucket.exists(BucketLayout.headReport(headSpace.model(), headSpace.headDigest()))
                    && bucket.exists(BucketLayout.headWeights(headSpace.model(), headSpace.headDigest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The head of a head space.
     *
     * @throws NoSuchElementException when no such head was trained
     */
    public ProjectionHead head(Space headSpace) {
        return loaded.computeIfAbsent(headSpace.id(), s -> {
            String key = BucketLayout.headWeights(headSpace.model(), headSpace.headDigest());
            try {
                ProjectionHead head = ProjectionHead.fromBytes(bucket.get(key, MAX_HEAD_BYTES).bytes());
                if (!head.digest().equals(headSpace.headDigest())) {
                    throw new IllegalStateException(key + " does not hold head " + headSpace.headDigest()
                            + " (its digest is " + head.digest() + ")");
                }
                return head;
            } catch (ObjectStore.ObjectNotFoundException e) {
                throw new NoSuchElementException("no head '" + headSpace.headDigest() + "' was trained on space "
                        + headSpace.model());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The report of a head space.
     *
     * @throws NoSuchElementException when the head is not listed
     */
    public HeadReport report(Space headSpace) {
        return reports.computeIfAbsent(headSpace.id(), s -> {
            String key = BucketLayout.headReport(headSpace.model(), headSpace.headDigest());
            try {
                return json.readValue(bucket.get(key, MAX_HEAD_BYTES).bytes(), HeadReport.class);
            } catch (ObjectStore.ObjectNotFoundException e) {
                throw new NoSuchElementException("no head '" + headSpace.headDigest() + "' is listed for space "
                        + headSpace.model());
            } catch (IOException e) {
                throw new UncheckedIOException(key + " cannot be read: " + e.getMessage(), e);
            }
        });
    }
}
