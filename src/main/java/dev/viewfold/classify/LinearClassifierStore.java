package dev.viewfold.classify;

import dev.viewfold.groups.Labelled;
import dev.viewfold.space.Space;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Linear classifiers in the bucket ({@link BucketLayout#linearClassifier}), named by the digest of the
 * labelled rows (ids, labels, vectors, which are held out) and the settings they were built from, so
 * that every process serving a space uses the one built for its current labels, and a label edit
 * makes the next one build a new one. A stored classifier never changes: what a process read once it
 * keeps.
 */
public final class LinearClassifierStore {

    private static final Logger LOG = Logger.getLogger(LinearClassifierStore.class);
    private static final long MAX_BYTES = 512L << 20;
    /** Bumped when what the digest covers, or how a classifier is built from it, changes. */
    private static final int RECIPE = 1;

    private final ObjectStore bucket;

    public LinearClassifierStore(ObjectStore bucket) {
        this.bucket = bucket;
    }

    /** The digest (16 hex) of the rows in order, which of them are held out, and the settings. */
    public static String rowsDigest(List<Labelled> rows, boolean[] held, LinearSettings s) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buf);
            out.writeInt(RECIPE);
            out.writeUTF(s.fit().features().name());
            for (double c : s.fit().cGrid()) {
                out.writeDouble(c);
            }
            out.writeInt(s.fit().folds());
            out.writeLong(s.fit().seed());
            out.writeInt(s.fit().maxIterations());
            out.writeDouble(s.fit().tolerance());
            out.writeDouble(s.rejectShare());
            out.writeBoolean(s.similarity());
            for (int i = 0; i < rows.size(); i++) {
                Labelled r = rows.get(i);
                out.writeUTF(r.id());
                out.writeBoolean(held[i]);
                out.writeInt(r.labels().size());
                for (String l : r.labels()) {
                    out.writeUTF(l);
                }
                out.writeInt(r.vector().length);
                for (float v : r.vector()) {
                    out.writeFloat(v);
                }
                if (buf.size() > 1 << 16) {
                    out.flush();
                    sha.update(buf.toByteArray());
                    buf.reset();
                }
            }
            out.flush();
            sha.update(buf.toByteArray());
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classifier built for these rows, if one was stored; one that cannot be read is left to be rebuilt. */
    public Optional<LinearClassifier> load(String space, String rowsDigest) {
        String key = key(space, rowsDigest);
        try {
            LinearClassifier c = LinearClassifier.fromBytes(bucket.get(key, MAX_BYTES).bytes());
            return c.rowsDigest().equals(rowsDigest) ? Optional.of(c) : Optional.empty();
        } catch (ObjectStore.ObjectNotFoundException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("linear classifier %s cannot be read (%s): building it again", key, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores it; a failure is logged, not thrown: the classifier still answers, and the next process builds its own. */
    public void save(String space, LinearClassifier c) {
        String key = key(space, c.rowsDigest());
        try {
            bucket.put(key, c.toBytes(), Map.of("classifier", c.digest()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("linear classifier %s could not be stored (%s)", key, e.getMessage());
        }
    }

    private static String key(String space, String rowsDigest) {
        return BucketLayout.linearClassifier(Space.parse(space).model(), space, rowsDigest);
    }
}
