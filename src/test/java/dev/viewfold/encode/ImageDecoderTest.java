package dev.viewfold.encode;

import dev.viewfold.testing.BadImages;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {

    final ImageDecoder decoder = new ImageDecoder(50_000_000);

    @TempDir
    Path dir;

    @Test
    void realJpegAndPngDecode() throws Exception {
        BufferedImage jpeg = decoder.decode(Files.readAllBytes(Shared.dataset("coil100/images/obj1__0.jpg"))).pixels();
        assertEquals(128, jpeg.getWidth());
        BufferedImage png = decoder.decode(Files.readAllBytes(Shared.dataset("orl_faces/images/s1/1.png"))).pixels();
        assertEquals(92, png.getWidth());
        assertEquals(112, png.getHeight());
    }

    @Test
    void eachKindOfBadFileGetsItsOwnReason() throws IOException {
        byte[] jpeg = Files.readAllBytes(Shared.dataset("caltech101/images/accordion/image_0001.jpg"));
        Path bomb = dir.resolve("bomb.png");
        BadImages.pngBomb(bomb, 20000, 20000);
        assertTrue(Files.size(bomb) < 2_000_000, "the bomb is small on disk: " + Files.size(bomb));

        String truncated = reason(BadImages.truncatedJpeg(jpeg, 0.5));
        String text = reason(BadImages.textFile());
        String empty = reason(new byte[0]);
        String tooLarge = reason(Files.readAllBytes(bomb));

        assertTrue(truncated.startsWith("truncated JPEG"), truncated);
        assertTrue(text.startsWith("not an image: unrecognised format (file starts with \"hello, t\")"), text);
        assertEquals("empty file (0 bytes)", empty);
        assertTrue(tooLarge.startsWith("image too large: 20000×20000 pixels (400.0 MP) exceeds the 50.0 MP limit"), tooLarge);
        Set<String> distinct = new HashSet<>(List.of(truncated, text, empty, tooLarge));
        assertEquals(4, distinct.size());
    }

    @Test
    void aPngCutShortIsRefused() throws IOException {
        byte[] png = Files.readAllBytes(Shared.dataset("coil100/../orl_faces/images/s2/3.png"));
        String r = reason(java.util.Arrays.copyOf(png, png.length / 2));
        assertTrue(r.contains("PNG"), r);
    }

    private String reason(byte[] bytes) {
        return assertThrows(BadImageException.class, () -> decoder.decode(bytes)).getMessage();
    }

    @Test
    void aLargePhotoIsReadSubsampledNotWhole() throws Exception {
        // 7000×7000 of a gentle gradient: a small file that decodes to 196 MB at full size.
        BufferedImage big = new BufferedImage(7000, 7000, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 7000; y += 7) {
            for (int x = 0; x < 7000; x++) {
                big.setRGB(x, y, (x / 28) << 16 | (y / 28) << 8);
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(big, "png", png);
        big = null;
        ImageDecoder forTheModel = new ImageDecoder(50_000_000, 256, null, 64L << 20);
        BufferedImage read = forTheModel.decode(png.toByteArray()).pixels();
        assertEquals(7000 / 6 + 1, read.getWidth(), "every 6th pixel: about four times the model's 256");
        assertEquals(read.getWidth(), read.getHeight());
        assertEquals(1, new ImageDecoder(50_000_000, 256, null).subsampling(1000, 800), "small photos whole");
        assertEquals(7000, decoder.decode(png.toByteArray()).pixels().getWidth(), "no target: whole, as before");
    }

    @Test
    void decodesWaitForMemoryOthersHoldButOneAloneAlwaysRuns() throws Exception {
        DecodeBudget budget = new DecodeBudget(100);
        budget.acquire(500); // larger than the whole budget: alone, it runs
        budget.release(500);
        budget.acquire(80);
        java.util.concurrent.CountDownLatch through = new java.util.concurrent.CountDownLatch(1);
        Thread second = new Thread(() -> {
            budget.acquire(50);
            through.countDown();
        });
        second.start();
        assertTrue(!through.await(300, java.util.concurrent.TimeUnit.MILLISECONDS), "80 + 50 > 100: it waits");
        budget.release(80);
        assertTrue(through.await(5, java.util.concurrent.TimeUnit.SECONDS), "and goes once the first is done");
        assertEquals(50, budget.held());
    }
}
