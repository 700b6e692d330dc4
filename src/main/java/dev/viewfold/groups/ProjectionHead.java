package dev.viewfold.groups;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A learned projection of frozen embeddings into a space where items of one group lie close:
 * {@code LINEAR} ({@code W·x + b}) or {@code MLP} ({@code Linear → ReLU → Linear}), output
 * L2-normalised. Immutable, so {@link #project} is safe from any number of threads.
 *
 * <p>Parameters, in one array: LINEAR {@code W (in×out), b (out)}; MLP
 * {@code W1 (in×hidden), b1 (hidden), W2 (hidden×out), b2 (out)}; matrices input-major (see
 * {@link Dense}).
 *
 * <p>Binary format, big-endian ({@link DataOutputStream}): the magic {@code "VFHD"}, then ints
 * version (1), kind code (1 LINEAR, 2 MLP), input dim, hidden dim (0 for LINEAR), output dim,
 * parameter count, then that many floats. The {@link #digest()} of these bytes names the head's
 * version.
 */
public final class ProjectionHead {

    static final byte[] MAGIC = {'V', 'F', 'H', 'D'};
    static final int VERSION = 1;
    static final int HEADER_BYTES = 4 + 6 * 4;
    /** Limits that keep a corrupt header from asking for gigabytes. */
    static final int MAX_INPUT_DIM = 1 << 16;
    static final int MAX_HIDDEN_DIM = 16384;
    static final int MAX_OUTPUT_DIM = 4096;

    private final HeadKind kind;
    private final int inputDim;
    private final int hiddenDim;
    private final int outputDim;
    private final float[] params;
    /** Computed on first use: hashing a 1280×1280 head is not free, and the store asks several times. */
    private volatile String digest;

    /** Takes {@code params} as is: callers hand over an array they no longer touch. */
    public ProjectionHead(HeadKind kind, int inputDim, int hiddenDim, int outputDim, float[] params) {
        this.kind = kind;
        this.inputDim = inputDim;
        this.hiddenDim = kind == HeadKind.LINEAR ? 0 : hiddenDim;
        this.outputDim = outputDim;
        long expected = parameterCount(kind, inputDim, this.hiddenDim, outputDim);
        if (params.length != expected) {
            throw new IllegalArgumentException("a " + kind + " head " + inputDim + "→" + outputDim + " has "
                    + expected + " parameters, not " + params.length);
        }
        this.params = params;
    }

    /** How many floats a head of this shape holds. */
    static long parameterCount(HeadKind kind, int in, int hidden, int out) {
        return kind == HeadKind.LINEAR
                ? (long) in * out + out
                : (long) in * hidden + hidden + (long) hidden * out + out;
    }

    public HeadKind kind() {
        return kind;
    }

    public int inputDim() {
        return inputDim;
    }

    /** The MLP's hidden width; 0 for a LINEAR head. */
    public int hiddenDim() {
        return hiddenDim;
    }

    public int outputDim() {
        return outputDim;
    }

    /** A copy of the parameters (layout in the class comment). */
    float[] parameters() {
        return params.clone();
    }

    /**
     * Projects one embedding: a NEW unit-length vector of {@link #outputDim()} floats (all zeros in
     * the degenerate case where the head maps {@code v} to the origin).
     */
    public float[] project(float[] v) {
        if (v == null || v.length != inputDim) {
            throw new IllegalArgumentException("this head takes vectors of " + inputDim + " dimensions, not "
                    + (v == null ? "null" : String.valueOf(v.length)));
        }
        float[] z = new float[outputDim];
        if (kind == HeadKind.LINEAR) {
            Dense.affine(v, 0, inputDim, params, 0, inputDim * outputDim, outputDim, z, 0);
        } else {
            float[] h = new float[hiddenDim];
            int w2 = inputDim * hiddenDim + hiddenDim;
            Dense.affine(v, 0, inputDim, params, 0, inputDim * hiddenDim, hiddenDim, h, 0);
            for (int i = 0; i < hiddenDim; i++) {
                h[i] = Math.max(0f, h[i]);
            }
            Dense.affine(h, 0, hiddenDim, params, w2, w2 + hiddenDim * outputDim, outputDim, z, 0);
        }
        Dense.normalise(z, 0, z, 0, outputDim);
        return z;
    }

    /** The versioned binary form (see the class comment). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_BYTES + 4 * params.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(kind.code);
            out.writeInt(inputDim);
            out.writeInt(hiddenDim);
            out.writeInt(outputDim);
            out.writeInt(params.length);
            for (float p : params) {
                out.writeFloat(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@link #toBytes()}. Rejects, with an {@link IllegalArgumentException} that says what is
     * wrong, anything else: a wrong magic, another version, an unknown kind, impossible dimensions,
     * too few or too many bytes, non-finite weights.
     */
    public static ProjectionHead fromBytes(byte[] b) {
        if (b == null) {
            throw new IllegalArgumentException("no bytes (null) for a projection head");
        }
        if (b.length < 8) {
            throw new IllegalArgumentException("not a projection head: " + b.length
                    + " bytes, fewer than the magic and version (8 bytes)");
        }
        if (!Arrays.equals(b, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("not a projection head: the bytes start with "
                    + HexFormat.of().formatHex(b, 0, 4) + ", not the magic \"VFHD\"");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.position(4);
        int version = buf.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("projection head format version " + version
                    + " is not supported (this build reads version " + VERSION + ")");
        }
        if (b.length < HEADER_BYTES) {
            throw new IllegalArgumentException("truncated projection head: " + b.length
                    + " bytes, fewer than its " + HEADER_BYTES + "-byte header");
        }
        HeadKind kind = HeadKind.ofCode(buf.getInt());
        int in = buf.getInt();
        int hidden = buf.getInt();
        int out = buf.getInt();
        int count = buf.getInt();
        if (in < 1 || in > MAX_INPUT_DIM) {
            throw new IllegalArgumentException("corrupt projection head: input dimension " + in
                    + " is outside 1.." + MAX_INPUT_DIM);
        }
        if (out < 1 || out > MAX_OUTPUT_DIM) {
            throw new IllegalArgumentException("corrupt projection head: output dimension " + out
                    + " is outside 1.." + MAX_OUTPUT_DIM);
        }
        if (kind == HeadKind.LINEAR ? hidden != 0 : hidden < 1 || hidden > MAX_HIDDEN_DIM) {
            throw new IllegalArgumentException("corrupt projection head: hidden dimension " + hidden + (kind
                    == HeadKind.LINEAR ? " for a LINEAR head (must be 0)" : " is outside 1.." + MAX_HIDDEN_DIM));
        }
        long expected = parameterCount(kind, in, hidden, out);
        if (count != expected) {
            throw new IllegalArgumentException("corrupt projection head: it declares " + count
                    + " parameters where a " + kind + " head of these dimensions has " + expected);
        }
        long size = HEADER_BYTES + 4 * expected;
        if (b.length < size) {
            throw new IllegalArgumentException("truncated projection head: " + b.length + " bytes where "
                    + size + " are expected");
        }
        if (b.length > size) {
            throw new IllegalArgumentException("corrupt projection head: " + (b.length - size)
                    + " unexpected bytes after its " + size + " bytes");
        }
        float[] params = new float[count];
        for (int i = 0; i < count; i++) {
            float p = buf.getFloat();
            if (!Float.isFinite(p)) {
                throw new IllegalArgumentException("corrupt projection head: parameter " + i + " is " + p);
            }
            params[i] = p;
        }
        return new ProjectionHead(kind, in, hidden, out, params);
    }

    /** The first 12 hex characters of the SHA-256 of {@link #toBytes()}: this head's version. */
    public String digest() {
        String d = digest;
        if (d != null) {
            return d;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(toBytes());
            digest = HexFormat.of().formatHex(sha, 0, 6);
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return kind + " head " + inputDim + (kind == HeadKind.MLP ? "→" + hiddenDim : "") + "→" + outputDim
                + " (" + digest() + ")";
    }
}
