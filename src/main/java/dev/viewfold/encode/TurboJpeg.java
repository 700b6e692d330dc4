package dev.viewfold.encode;

import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * libjpeg-turbo's TurboJPEG, where the runtime image is ours (the encode container, CI): decodes a
 * JPEG already scaled down in the DCT (1/8 … 1 of its size), so a 12 MP photo bound for a 256 px
 * crop never exists at full size. TurboJPEG's Java binding is not on Maven Central, so it is loaded
 * from the Debian package's jar ({@code libturbojpeg-java}, native library from
 * {@code libturbojpeg0-dev}) when present; everything falls back to ImageIO otherwise.
 */
final class TurboJpeg {

    private static final Logger LOG = Logger.getLogger(TurboJpeg.class);
    static final Path DEBIAN_JAR = Path.of("/usr/share/java/turbojpeg.jar");

    /** The DCT scaling factors TurboJPEG offers below 1, as numerator/8. */
    private static final int[] EIGHTHS = {1, 2, 3, 4, 5, 6, 7, 8};

    private final MethodHandle create;
    private final MethodHandle source;
    private final MethodHandle width;
    private final MethodHandle height;
    private final MethodHandle decompress;
    private final MethodHandle close;

    private TurboJpeg(Class<?> decompressor) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        create = lookup.findConstructor(decompressor, MethodType.methodType(void.class));
        source = lookup.findVirtual(decompressor, "setSourceImage", MethodType.methodType(void.class, byte[].class, int.class));
        width = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
        height = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
        decompress = lookup.findVirtual(decompressor, "decompress",
                MethodType.methodType(BufferedImage.class, int.class, int.class, int.class, int.class));
        close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
    }

    private static final String DECOMPRESSOR = "org.libjpegturbo.turbojpeg.TJDecompressor";
    /** One per JVM: a native library binds to the first class loader that loads it. */
    private static Optional<TurboJpeg> loaded;

    /** TurboJPEG from {@code jar}, or empty (with one log line saying why) when it cannot be used. */
    static synchronized Optional<TurboJpeg> load(Path jar) {
        if (loaded == null) {
            loaded = tryLoad(jar);
        }
        return loaded;
    }

    private static Optional<TurboJpeg> tryLoad(Path jar) {
        try {
            Class<?> decompressor;
            try { // on the class path already (the tests put it there)
                decompressor = Class.forName(DECOMPRESSOR, true, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException notOnClassPath) {
                if (!Files.isRegularFile(jar)) {
                    LOG.debugf("TurboJPEG not found at %s: JPEGs decode through ImageIO", jar);
                    return Optional.empty();
                }
                URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, TurboJpeg.class.getClassLoader());
                decompressor = Class.forName(DECOMPRESSOR, true, loader);
            }
            TurboJpeg turbo = new TurboJpeg(decompressor);
            LOG.infof("JPEG decoding through TurboJPEG (%s), scaled in the DCT", jar);
            return Optional.of(turbo);
        } catch (Throwable e) { // UnsatisfiedLinkError and ExceptionInInitializerError included
            LOG.warnf("TurboJPEG at %s cannot be used (%s): JPEGs decode through ImageIO", jar, e);
            return Optional.empty();
        }
    }

    static boolean isJpeg(byte[] bytes) {
        return bytes.length > 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && (bytes[2] & 0xff) == 0xFF;
    }

    /**
     * Decodes at the smallest DCT scale whose shorter side still has {@code minShorterSide} pixels.
     *
     * @throws BadImageException when the header claims more than {@code maxPixels}
     * @throws Exception         anything TurboJPEG refuses (CMYK, a warning such as a truncated
     *                           file): the caller falls back to ImageIO, which names the problem
     */
    BufferedImage decode(byte[] jpeg, int minShorterSide, long maxPixels) throws Exception {
        try {
            return decodeThroughHandles(jpeg, minShorterSide, maxPixels);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) { // MethodHandle.invoke declares Throwable
            throw new IllegalStateException(t);
        }
    }

    private BufferedImage decodeThroughHandles(byte[] jpeg, int minShorterSide, long maxPixels) throws Throwable {
        Object d = create.invoke();
        try {
            source.invoke(d, jpeg, jpeg.length); // inside the try: a bad header must not leak the handle
            int w = (int) width.invoke(d);
            int h = (int) height.invoke(d);
            if ((long) w * h > maxPixels) {
                throw ImageDecoder.tooLarge(w, h, maxPixels);
            }
            int eighths = 8;
            for (int e : EIGHTHS) {
                if (Math.min(w, h) * e / 8 >= minShorterSide) {
                    eighths = e;
                    break;
                }
            }
            int sw = (w * eighths + 7) / 8;
            int sh = (h * eighths + 7) / 8;
            return (BufferedImage) decompress.invoke(d, sw, sh, BufferedImage.TYPE_INT_RGB, 0);
        } finally {
            close.invoke(d);
        }
    }
}
