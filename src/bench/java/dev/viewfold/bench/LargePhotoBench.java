package dev.viewfold.bench;

import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.Preprocessor;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Large photos (12 MP, 4000×3000 JPEG: Caltech-101 photos upscaled bicubically, made once under
 * target/bench-data/large): a full-size ImageIO decode against Viewfold's decode + resize/crop +
 * normalise, with TurboJPEG's DCT scaling and with the ImageIO fallback. One thread.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=LargePhotoBench</pre>
 */
public final class LargePhotoBench {

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        List<byte[]> photos = photos(shared, 12);
        ModelSpec spec = Embeddings.mobilenet(shared);
        Preprocessor pre = new Preprocessor(spec);
        ImageDecoder fast = new ImageDecoder(50_000_000, spec.resize(), Path.of("/usr/share/java/turbojpeg.jar"));
        ImageDecoder fallback = new ImageDecoder(50_000_000);
        System.out.printf(Locale.ROOT, "LargePhotoBench: %d JPEGs of 4000×3000, TurboJPEG %s, Java %s%n%n", photos.size(),
                fast.usesTurboJpeg() ? "found" : "NOT found", Runtime.version());
        for (int warm = 0; warm < 2; warm++) { // warm the JIT on every path
            ImageIO.read(new ByteArrayInputStream(photos.get(0)));
            pre.toTensor(fast.decode(photos.get(0)));
            pre.toTensor(fallback.decode(photos.get(0)));
        }
        double full = time(photos, p -> ImageIO.read(new ByteArrayInputStream(p)));
        double fastMs = time(photos, p -> pre.toTensor(fast.decode(p)));
        double fastDecode = time(photos, fast::decode);
        double fallbackMs = time(photos, p -> pre.toTensor(fallback.decode(p)));
        System.out.println("| path (per 12 MP JPEG) | ms | vs full ImageIO decode |");
        System.out.println("|---|---|---|");
        row("ImageIO full-size decode (no resize)", full, full);
        row("Viewfold decode + resize/crop + normalise, TurboJPEG (DCT-scaled)", fastMs, full);
        row("  of which TurboJPEG decode", fastDecode, full);
        row("Viewfold decode + resize/crop + normalise, ImageIO fallback", fallbackMs, full);
    }

    interface Work {
        Object run(byte[] photo) throws Exception;
    }

    static double time(List<byte[]> photos, Work w) throws Exception {
        long t0 = System.nanoTime();
        for (byte[] p : photos) {
            w.run(p);
        }
        return (System.nanoTime() - t0) / 1e6 / photos.size();
    }

    static void row(String name, double ms, double full) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f× |%n", name, ms, ms / full);
    }

    static List<byte[]> photos(Path shared, int n) throws Exception {
        Path dir = Path.of("target/bench-data/large");
        Files.createDirectories(dir);
        List<Path> sources;
        try (Stream<Path> s = Files.walk(shared.resolve("datasets/caltech101/images"))) {
            sources = s.filter(p -> p.toString().endsWith("image_0001.jpg")).sorted().limit(n).toList();
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Path large = dir.resolve("large-" + i + ".jpg");
            if (!Files.exists(large)) {
                BufferedImage src = ImageIO.read(sources.get(i).toFile());
                BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = big.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.drawImage(src, 0, 0, 4000, 3000, null);
                g.dispose();
                ImageIO.write(big, "jpg", large.toFile());
            }
            out.add(Files.readAllBytes(large));
        }
        return out;
    }
}
