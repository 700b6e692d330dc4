package dev.viewfold.encode;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Turns bytes into pixels, or into a reason a person understands. The pixel count is read from the
 * header and checked before any pixel is decoded, so a small file that claims 20000×20000 costs
 * nothing. Formats: JPEG (baseline, progressive, greyscale, CMYK/YCCK through TwelveMonkeys), PNG
 * (8/16-bit, palette, alpha), GIF (first frame), BMP, WebP; the EXIF orientation comes along.
 */
public final class ImageDecoder {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ImageDecoder.class);

    /** Default memory for the pixels decoded at once, across threads: 256 MiB. */
    public static final long DEFAULT_BUDGET = 256L << 20;

    private final long maxPixels;
    /** Shorter side the preprocessor resizes to: a JPEG need not be decoded much larger. */
    private final int minShorterSide;
    private final TurboJpeg turbo;
    private final DecodeBudget budget;

    /** ImageIO only, at full size. */
    public ImageDecoder(long maxPixels) {
        this(maxPixels, Integer.MAX_VALUE, null, DEFAULT_BUDGET);
    }

    public ImageDecoder(long maxPixels, int minShorterSide, Path turboJpegJar) {
        this(maxPixels, minShorterSide, turboJpegJar, DEFAULT_BUDGET);
    }

    /**
     * @param minShorterSide the size the image is headed for; JPEGs decode (through TurboJPEG, when
     *                       {@code turboJpegJar} holds it) at the smallest DCT scale still at least
     *                       twice that, so the last downscale still averages; other large images are
     *                       read subsampled to about four times it
     * @param turboJpegJar   TurboJPEG's Java binding, or null for ImageIO only
     * @param budgetBytes    memory the pixels being decoded may take at once, across threads: a decode
     *                       that would pass it waits for others to finish (one alone always runs)
     */
    public ImageDecoder(long maxPixels, int minShorterSide, Path turboJpegJar, long budgetBytes) {
        this.maxPixels = maxPixels;
        this.minShorterSide = minShorterSide;
        this.turbo = turboJpegJar == null ? null : TurboJpeg.load(turboJpegJar).orElse(null);
        this.budget = new DecodeBudget(budgetBytes);
    }

    /**
     * The step of the source subsampling for an image of this size: large images are read keeping
     * every s-th pixel of every s-th row, to about four times the size the preprocessor resizes to
     * (its halvings average what is left), so a 7000×7000 PNG never becomes a 196 MB raster.
     */
    int subsampling(long width, long height) {
        if (minShorterSide == Integer.MAX_VALUE) {
            return 1;
        }
        return (int) Math.max(1, Math.min(width, height) / (4L * minShorterSide));
    }

    public boolean usesTurboJpeg() {
        return turbo != null;
    }

    public DecodedImage decode(byte[] bytes) throws BadImageException {
        if (bytes.length == 0) {
            throw new BadImageException("empty file (0 bytes)");
        }
        if (turbo != null && TurboJpeg.isJpeg(bytes)) {
            try {
                return new DecodedImage(turbo.decode(bytes, 2 * minShorterSide, maxPixels), Orientation.of(bytes));
            } catch (BadImageException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                // CMYK, a damaged or truncated file: ImageIO reads what it can and names the problem
                LOG.debugf("TurboJPEG declined (%s); decoding through ImageIO", e);
            }
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadImageException("not an image: unrecognised format (file starts with "
                        + printableStart(bytes) + "); JPEG, PNG, GIF, BMP and WebP are supported");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                long width;
                long height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new BadImageException("corrupt " + format + " header: " + describe(e));
                }
                if (width * height > maxPixels) {
                    throw tooLarge(width, height, maxPixels);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                int step = subsampling(width, height);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                // The raster, and the RGB copy greyscale gets: what this decode holds at its peak.
                long pixelBytes = (width / step + 1) * (height / step + 1) * 4L * 2;
                budget.acquire(pixelBytes);
                try {
                    BufferedImage image;
                    try {
                        image = reader.read(0, param);
                    } catch (IOException | RuntimeException e) {
                        throw new BadImageException(truncation(format, e.getMessage())
                                .orElse("corrupt " + format + " data: " + describe(e)));
                    }
                    for (String w : warnings) {
                        // The JPEG reader fills a truncated file with grey and only warns: refuse it.
                        var truncated = truncation(format, w);
                        if (truncated.isPresent()) {
                            throw new BadImageException(truncated.get());
                        }
                    }
                    if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                        throw new BadImageException("empty " + format + " image (no pixels)");
                    }
                    return new DecodedImage(greyAsStored(image), Orientation.of(bytes));
                } finally {
                    budget.release(pixelBytes);
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new BadImageException("unreadable image: " + describe(e));
        }
    }

    static BadImageException tooLarge(long width, long height, long maxPixels) {
        return new BadImageException(String.format(Locale.ROOT,
                "image too large: %d×%d pixels (%.1f MP) exceeds the %.1f MP limit (viewfold.encode.max-pixels)",
                width, height, width * height / 1e6, maxPixels / 1e6));
    }

    /**
     * ImageIO gives greyscale JPEG and PNG a linear grey colour space, and Java2D then "corrects"
     * every sample towards sRGB on the way to RGB, brightening mid-greys by up to ~50 levels. The
     * samples in those files are already sRGB-encoded, so they are copied as they are.
     */
    static BufferedImage greyAsStored(BufferedImage image) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_BYTE_GRAY && type != BufferedImage.TYPE_USHORT_GRAY) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        var raster = image.getRaster();
        int shift = type == BufferedImage.TYPE_USHORT_GRAY ? 8 : 0;
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        int[] out = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int g = row[x] >> shift;
                out[x] = (g << 16) | (g << 8) | g;
            }
            rgb.setRGB(0, y, w, 1, out, 0, w);
        }
        return rgb;
    }

    private static java.util.Optional<String> truncation(String format, String message) {
        if (message == null) {
            return java.util.Optional.empty();
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("truncated") || m.contains("premature end") || m.contains("unexpected end")
                || m.contains("eof")) {
            return java.util.Optional.of("truncated " + format + ": the file ends before the image data does (" + message + ")");
        }
        return java.util.Optional.empty();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String printableStart(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            char c = (char) (bytes[i] & 0xff);
            sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.append('"').toString();
    }

}
