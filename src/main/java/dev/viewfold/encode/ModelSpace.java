package dev.viewfold.encode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names the embedding space a model spec produces: {@code <name>@<12 hex>}, the hex digest covering
 * the model's bytes and its preprocessing. Change either and rows land in a new space, so vectors
 * from two models are never compared by accident.
 */
public final class ModelSpace {

    private ModelSpace() {
    }

    public static String of(ModelSpec spec) {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(spec.path()), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw new ModelSpecException(OnnxEmbeddingModel.missingFileMessage(spec.path()));
        } catch (IOException e) {
            throw new ModelSpecException("cannot read model file " + spec.path() + ": " + e.getMessage(), e);
        }
        sha.update(spec.preprocessingSignature().getBytes(StandardCharsets.UTF_8));
        return spec.name() + "@" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
