package dev.viewfold.encode;

import dev.viewfold.math.Vectors;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One synthetic picture in the encodings users upload (src/test/resources/images): every one decodes
 * to the same picture, upright, and embeds (fp32 MobileNetV2) like the reference PNG.
 */
class PhotoFormatsTest {

    static final ImageDecoder DECODER = new ImageDecoder(50_000_000);
    static OnnxEmbeddingModel model;
    static Preprocessor preprocessor;
    static BufferedImage reference;

    @BeforeAll
    static void load() throws Exception {
        var spec = Shared.imagenet(Shared.model("mobilenetv2-fp32/model.onnx"), "mobilenetv2-fp32");
        model = new OnnxEmbeddingModel(spec);
        preprocessor = new Preprocessor(spec);
        reference = DECODER.decode(bytes("reference.png")).pixels();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void everyEncodingDecodesToThePicture() throws Exception {
        for (String name : List.of("baseline.jpg", "progressive.jpg", "cmyk.jpg", "png16.png", "palette.png",
                "animated.gif", "image.bmp", "image.webp")) {
            BufferedImage img = DECODER.decode(bytes(name)).pixels();
            assertEquals(192, img.getWidth(), name);
            assertEquals(144, img.getHeight(), name);
            double diff = meanAbsDiff(img, reference, false);
            assertTrue(diff < (name.equals("cmyk.jpg") ? 20 : 8), name + ": mean difference " + diff + " grey levels");
        }
        double grey = meanAbsDiff(DECODER.decode(bytes("grey.jpg")).pixels(), reference, true);
        // ImageMagick's grey is luminance of linear RGB, ours luma of sRGB: ~13 levels apart. A grey
        // JPEG read through Java2D's linear grey colour space would be ~54 levels too bright.
        assertTrue(grey < 20, "greyscale JPEG against the reference's luminance: " + grey);
        BufferedImage negative = DECODER.decode(bytes("animated.gif")).pixels();
        assertTrue(meanAbsDiff(negative, reference, false) < 8, "a GIF is its first frame, not the second (the negative)");
    }

    @Test
    void everyEncodingEmbedsLikeTheReference() throws Exception {
        float[] ref = embed(bytes("reference.png"));
        for (String name : List.of("baseline.jpg", "progressive.jpg", "cmyk.jpg", "grey.jpg", "png16.png",
                "palette.png", "animated.gif", "image.bmp", "image.webp")) {
            double cos = Vectors.dot(embed(bytes(name)), ref);
            // a grey copy of a colour picture is a different picture to a colour CNN
            // and 64 dithered colours are not quite the picture either
            double bar = name.equals("grey.jpg") ? 0.75 : name.equals("cmyk.jpg") || name.equals("palette.png") ? 0.85 : 0.95;
            assertTrue(cos > bar, name + ": cosine " + cos);
        }
    }

    @Test
    void transparentPixelsAreCompositedOnWhite() throws Exception {
        BufferedImage img = DECODER.decode(bytes("alpha.png")).pixels();
        // alpha.png is opaque where x < 96 and transparent elsewhere; no resize, crop 144 of 192 wide
        BufferedImage crop = Preprocessor.resizeAndCrop(img, 144, 144);
        assertEquals(0xFFFFFF, crop.getRGB(130, 70) & 0xFFFFFF, "transparent: white");
        assertEquals(reference.getRGB(24 + 10, 70) & 0xFFFFFF, crop.getRGB(10, 70) & 0xFFFFFF, "opaque: the picture");
    }

    @Test
    void theExifOrientationTurnsAPhotoUpright() throws Exception {
        byte[] sideways = bytes("rotated-pixels.jpg"); // the picture turned 90° clockwise, no EXIF
        byte[] tagged = withOrientation(sideways, 8);  // 8: turn 90° anticlockwise to view
        DecodedImage decoded = DECODER.decode(tagged);
        assertEquals(Orientation.ROTATE_90_CCW, decoded.orientation());
        assertEquals(Orientation.NORMAL, DECODER.decode(sideways).orientation());
        float[] upright = preprocessor.toTensor(DECODER.decode(bytes("baseline.jpg")));
        double fixed = meanAbsDiff(preprocessor.toTensor(decoded), upright);
        double ignored = meanAbsDiff(preprocessor.toTensor(new DecodedImage(decoded.pixels(), Orientation.NORMAL)), upright);
        assertTrue(fixed < 0.1 && ignored > 5 * fixed, "with EXIF applied " + fixed + ", ignored " + ignored);
    }

    @Test
    void everyExifOrientationTurnsTheRightWay() {
        // pixels 0 1 2 / 3 4 5, and how EXIF orientations 1..8 display them
        BufferedImage grid = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 6; i++) {
            grid.setRGB(i % 3, i / 3, i);
        }
        List<String> expected = List.of("012/345", "210/543", "543/210", "345/012", "03/14/25", "30/41/52",
                "52/41/30", "25/14/03");
        for (Orientation o : Orientation.values()) {
            BufferedImage t = o.apply(grid);
            StringBuilder seen = new StringBuilder();
            for (int y = 0; y < t.getHeight(); y++) {
                seen.append(y == 0 ? "" : "/");
                for (int x = 0; x < t.getWidth(); x++) {
                    seen.append(t.getRGB(x, y) & 0xFFFFFF);
                }
            }
            assertEquals(expected.get(o.ordinal()), seen.toString(), "EXIF orientation " + (o.ordinal() + 1));
        }
    }

    private static float[] embed(byte[] file) throws BadImageException {
        float[] v = model.embed(List.of(preprocessor.toTensor(DECODER.decode(file))))[0];
        Vectors.normaliseInPlace(v);
        return v;
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = PhotoFormatsTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The JPEG with an EXIF APP1 segment holding only an orientation, right after SOI. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer app1 = ByteBuffer.allocate(36);
        app1.putShort((short) 0xFFE1).putShort((short) 34).put("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(new byte[] {'M', 'M', 0, 42}).putInt(8) // big-endian TIFF header, IFD0 at 8
                .putShort((short) 1) // one entry
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
                .putInt(0); // no next IFD
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(app1.array(), 0, 36);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b, boolean luminance) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                if (luminance) {
                    sum += Math.abs(luma(p) - luma(q));
                } else {
                    for (int shift = 0; shift <= 16; shift += 8) {
                        sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff)) / 3.0;
                    }
                }
            }
        }
        return sum / (a.getWidth() * a.getHeight());
    }

    private static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }
}
