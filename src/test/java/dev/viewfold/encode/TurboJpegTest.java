package dev.viewfold.encode;

import dev.viewfold.math.Vectors;
import dev.viewfold.testing.BadImages;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TurboJPEG fast path against the ImageIO fallback. Runs where Debian's libturbojpeg-java and
 * libturbojpeg0-dev are installed (.ci/run installs them); skipped elsewhere.
 */
class TurboJpegTest {

    static ImageDecoder fast;
    static final ImageDecoder FALLBACK = new ImageDecoder(50_000_000);
    static OnnxEmbeddingModel model;
    static Preprocessor preprocessor;

    @BeforeAll
    static void load() {
        var spec = Shared.imagenet(Shared.model("mobilenetv2-fp32/model.onnx"), "mobilenetv2-fp32");
        fast = new ImageDecoder(50_000_000, spec.resize(), TurboJpeg.DEBIAN_JAR);
        assumeTrue(fast.usesTurboJpeg(), "TurboJPEG is not installed here");
        model = new OnnxEmbeddingModel(spec);
        preprocessor = new Preprocessor(spec);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void fastAndFallbackDecodersGiveTheSameEmbeddings() throws Exception {
        List<Path> photos;
        try (Stream<Path> files = Files.list(Shared.dataset("caltech101/images/airplanes"))) {
            photos = files.sorted().limit(10).toList();
        }
        for (Path p : photos) {
            byte[] bytes = Files.readAllBytes(p);
            double cos = Vectors.cosine(embed(fast, bytes), embed(FALLBACK, bytes));
            assertTrue(cos >= 0.99, p.getFileName() + ": cosine " + cos);
        }
    }

    @Test
    void aLargePhotoIsDecodedScaledDownAndStillEmbedsTheSame() throws Exception {
        byte[] large = largeJpeg(Shared.dataset("caltech101/images/accordion/image_0001.jpg"), 4000, 3000);
        DecodedImage scaled = fast.decode(large);
        assertTrue(scaled.pixels().getWidth() <= 1000, "decoded at " + scaled.pixels().getWidth() + " wide, not 4000");
        assertTrue(Math.min(scaled.pixels().getWidth(), scaled.pixels().getHeight()) >= 2 * 256);
        double cos = Vectors.cosine(embed(fast, large), embed(FALLBACK, large));
        assertTrue(cos >= 0.99, "12 MP photo, fast against full-size ImageIO: cosine " + cos);
    }

    @Test
    void whatTurboJpegRefusesFallsBackToImageIoAndItsReasons() throws Exception {
        byte[] cmyk = PhotoFormatsTest.bytes("cmyk.jpg");
        var reference = FALLBACK.decode(PhotoFormatsTest.bytes("reference.png")).pixels();
        double diff = PhotoFormatsTest.meanAbsDiff(fast.decode(cmyk).pixels(), reference, false);
        assertTrue(diff < 20, "CMYK, refused by TurboJPEG, decodes through ImageIO to the picture: " + diff);
        byte[] truncated = BadImages.truncatedJpeg(Files.readAllBytes(Shared.dataset("caltech101/images/airplanes/image_0003.jpg")), 0.5);
        String reason = assertThrows(BadImageException.class, () -> fast.decode(truncated)).getMessage();
        assertTrue(reason.startsWith("truncated JPEG"), reason);
        assertEquals(Orientation.ROTATE_90_CCW,
                fast.decode(PhotoFormatsTest.withOrientation(PhotoFormatsTest.bytes("rotated-pixels.jpg"), 8)).orientation());
    }

    private static float[] embed(ImageDecoder decoder, byte[] bytes) throws Exception {
        float[] v = model.embed(List.of(preprocessor.toTensor(decoder.decode(bytes))))[0];
        Vectors.normaliseInPlace(v);
        return v;
    }

    /** A real photo upscaled (bicubic) to a large JPEG, as a camera would deliver it. */
    static byte[] largeJpeg(Path photo, int w, int h) throws Exception {
        BufferedImage src = ImageIO.read(photo.toFile());
        BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(big, "jpg", out);
        return out.toByteArray();
    }
}
