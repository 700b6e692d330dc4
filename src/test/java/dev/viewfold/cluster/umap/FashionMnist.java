package dev.viewfold.cluster.umap;

import dev.viewfold.testing.Shared;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The first images of the shared Fashion-MNIST test split as 784-d vectors in [0, 1]. */
final class FashionMnist {

    private FashionMnist() {
    }

    static float[][] images(int count) {
        return images(Shared.dataset("fashion_mnist/t10k-images-idx3-ubyte.gz"), count);
    }

    static float[][] images(Path gz, int count) {
        try (InputStream raw = Files.newInputStream(gz);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != 0x803) {
                throw new IOException("not an IDX3 image file: " + gz);
            }
            int n = Math.min(count, in.readInt());
            int pixels = in.readInt() * in.readInt();
            float[][] out = new float[n][pixels];
            byte[] buf = new byte[pixels];
            for (int i = 0; i < n; i++) {
                in.readFully(buf);
                for (int p = 0; p < pixels; p++) {
                    out[i][p] = (buf[p] & 0xFF) / 255f;
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
