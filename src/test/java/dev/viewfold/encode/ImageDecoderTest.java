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
}
