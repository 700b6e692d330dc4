package dev.viewfold.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Files that are not usable images, as users upload them by mistake or by malice. */
public final class BadImages {

    private BadImages() {
    }

    /** A real JPEG cut to {@code fraction} of its length. */
    public static byte[] truncatedJpeg(byte[] jpeg, double fraction) {
        return Arrays.copyOf(jpeg, (int) (jpeg.length * fraction));
    }

    public static byte[] textFile() {
        return "hello, this is a shopping list, not a photo\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * A valid 8-bit grey PNG of width × height zero pixels: a decompression bomb (20000×20000 is
     * 400 MP, 400 MB decoded) that compresses to a few hundred kilobytes.
     */
    public static void pngBomb(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            byte[] row = new byte[width + 1]; // filter byte 0, then zeros
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        Files.write(file, png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
