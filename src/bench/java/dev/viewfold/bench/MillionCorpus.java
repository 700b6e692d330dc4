package dev.viewfold.bench;

import dev.viewfold.encode.DecodedImage;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.encode.Orientation;
import dev.viewfold.encode.Preprocessor;
import dev.viewfold.math.Vectors;
import dev.viewfold.search.Npy;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A million real embeddings: every photo of SearchBench's four datasets (10,580) in
 * {@value #CROPS} seeded crops (60–95% of the side, anywhere in the frame) × 8 orientations, each
 * variant through the model (each crop scaled to the model's input size once, then turned eight ways). Rows follow the photos' order
 * (COIL-100's first), {@value #VARIANTS} a photo. Encoded once into {@code target/bench-data/million}
 * and streamed to disk, so the encoder never holds the corpus.
 */
final class MillionCorpus {

    static final int CROPS = 12;
    static final int VARIANTS = CROPS * 8;
    static final Path FILE = Path.of("target/bench-data/million/corpus.npy");

    private MillionCorpus() {
    }

    /** The picture with its shorter side {@code side} (bilinear), as the preprocessor's resize would give it. */
    private static BufferedImage scale(BufferedImage source, int side) {
        double s = (double) side / Math.min(source.getWidth(), source.getHeight());
        int w = Math.max(side, (int) Math.round(source.getWidth() * s));
        int h = Math.max(side, (int) Math.round(source.getHeight() * s));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** The corpus file, encoded first if it is not there. */
    static Path ensure(Path shared) throws IOException {
        if (Files.exists(FILE)) {
            return FILE;
        }
        Files.createDirectories(FILE.getParent());
        List<Path> images = SearchBench.images(shared);
        ModelSpec spec = Embeddings.mobilenet(shared);
        Preprocessor pre = new Preprocessor(spec);
        ImageDecoder decoder = new ImageDecoder(50_000_000);
        int rows = images.size() * VARIANTS;
        int dim = 1280;
        Path partial = FILE.resolveSibling("corpus.npy.partial");
        System.err.printf(Locale.ROOT, "encoding %,d photos × %d variants = %,d rows into %s ...%n", images.size(),
                VARIANTS, rows, FILE);
        long t0 = System.nanoTime();
        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(spec);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
            out.write(Npy.header("<f4", rows, dim));
            ByteBuffer row = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < images.size(); i++) {
                BufferedImage image = decoder.decode(Files.readAllBytes(images.get(i))).pixels();
                Random random = new Random(i * 31L + 7);
                double[][] crops = new double[CROPS][];
                for (int c = 0; c < CROPS; c++) {
                    double size = 0.6 + 0.35 * random.nextDouble();
                    crops[c] = new double[] {(1 - size) * random.nextDouble(), (1 - size) * random.nextDouble(), size};
                }
                // Both cores prepare the photo's variants, then the model takes them in batches of 32. Each
                // crop is brought to the model's input scale once; its eight orientations start from that.
                List<BufferedImage> scaled = IntStream.range(0, CROPS).parallel().mapToObj(c ->
                        scale(SearchBench.crop(image, crops[c][0], crops[c][1], crops[c][2]), spec.resize())).toList();
                List<float[]> tensors = IntStream.range(0, VARIANTS).parallel().mapToObj(v ->
                        pre.toTensor(new DecodedImage(scaled.get(v / 8), Orientation.values()[v % 8]))).toList();
                for (int from = 0; from < VARIANTS; from += 32) {
                    float[][] embedded = model.embed(new ArrayList<>(tensors.subList(from, Math.min(VARIANTS, from + 32))));
                    for (float[] e : embedded) {
                        if (e.length != dim) {
                            throw new IOException("the model gave " + e.length + " dimensions, expected " + dim);
                        }
                        Vectors.normaliseInPlace(e);
                        row.clear();
                        row.asFloatBuffer().put(e);
                        out.write(row.array());
                    }
                }
                if (i % 500 == 0) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.err.printf(Locale.ROOT, "  %,d/%,d photos, %.0f s, %.0f rows/s%n", i, images.size(), s,
                            i * VARIANTS / Math.max(s, 1e-9));
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("encoding the million corpus failed: " + e.getMessage(), e);
        }
        Files.move(partial, FILE, StandardCopyOption.REPLACE_EXISTING);
        System.err.printf(Locale.ROOT, "encoded %,d rows in %.0f s%n", rows, (System.nanoTime() - t0) / 1e9);
        return FILE;
    }
}
