package dev.viewfold.search.s3vectors;

import dev.viewfold.search.Target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Which S3 Vectors index holds a space's rows. The model's space uses {@code <prefix>-images} and
 * {@code <prefix>-observations} (the stack creates them); a trained head's space, whose id is known
 * only once it is trained, {@code <prefix>-h<12 hex of its id>-images|observations} (created by
 * the first write). With several image shards, an observation's images all go to shard
 * {@code hash(observation) mod shards}, named {@code …-images-<n>}: a write rate beyond one index's
 * 2,500 vectors/s spreads over them, and a search asks every shard.
 */
public final class IndexNames {

    private final String prefix;
    private final int imageShards;
    /** Resolved on first use: the model's space id needs the model's file, which wiring reads late. */
    private final java.util.function.Supplier<String> modelSpace;

    public IndexNames(String prefix, int imageShards, java.util.function.Supplier<String> modelSpace) {
        if (imageShards < 1) {
            throw new IllegalArgumentException("image shards must be at least 1, got " + imageShards);
        }
        if (!prefix.matches("[a-z0-9][a-z0-9.-]{1,30}")) {
            throw new IllegalArgumentException("index prefix '" + prefix + "' must be 2 to 31 lower-case letters,"
                    + " digits, dots or hyphens (S3 Vectors index names)");
        }
        this.prefix = prefix;
        this.imageShards = imageShards;
        this.modelSpace = modelSpace;
    }

    public IndexNames(String prefix, int imageShards, String modelSpace) {
        this(prefix, imageShards, () -> modelSpace);
    }

    public int imageShards() {
        return imageShards;
    }

    public String observations(String space) {
        return base(space) + "-observations";
    }

    /** Every image index of a space. */
    public List<String> images(String space) {
        if (imageShards == 1) {
            return List.of(base(space) + "-images");
        }
        List<String> out = new ArrayList<>(imageShards);
        for (int s = 0; s < imageShards; s++) {
            out.add(base(space) + "-images-" + s);
        }
        return out;
    }

    /** The image index an observation's images live in. */
    public String imagesOf(String space, String observationId) {
        List<String> all = images(space);
        return all.get(Math.floorMod(observationId.hashCode(), all.size()));
    }

    public List<String> of(String space, Target target) {
        return target == Target.IMAGES ? images(space) : List.of(observations(space));
    }

    private String base(String space) {
        return space.equals(modelSpace.get()) ? prefix : prefix + "-h" + digest(space);
    }

    private static String digest(String space) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(space.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
