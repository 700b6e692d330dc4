package dev.viewfold.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/** Fashion-MNIST test images from the shared datasets as unit-length pixel vectors: real data, read in milliseconds. */
public final class FashionMnist {

    private FashionMnist() {
    }

    /** The first {@code n} images, 784 floats each, L2-normalised. */
    public static float[][] unitVectors(int n) {
        try (InputStream raw = Files.newInputStream(Shared.dataset("fashion_mnist/t10k-images-idx3-ubyte.gz"));
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            in.readInt(); // magic
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n > count) {
                throw new IllegalArgumentException("only " + count + " images");
            }
            byte[] pixels = new byte[rows * cols];
            float[][] out = new float[n][rows * cols];
            for (int i = 0; i < n; i++) {
                in.readFully(pixels);
                double sum = 0;
                for (int j = 0; j < pixels.length; j++) {
                    out[i][j] = (pixels[j] & 0xff) / 255f;
                    sum += out[i][j] * out[i][j];
                }
                float inv = (float) (1 / Math.sqrt(sum));
                for (int j = 0; j < pixels.length; j++) {
                    out[i][j] *= inv;
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
