package dev.viewfold.encode;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

/**
 * EXIF orientation (1–8): how a camera's stored pixels must be turned to be seen upright. Phones
 * store most portrait photos sideways with orientation 6; ignoring it embeds a sideways picture.
 */
public enum Orientation {
    NORMAL, FLIP_HORIZONTAL, ROTATE_180, FLIP_VERTICAL, TRANSPOSE, ROTATE_90_CW, TRANSVERSE, ROTATE_90_CCW;

    /** The orientation an image file declares, NORMAL when it declares none or cannot be read. */
    public static Orientation of(byte[] file) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(file), file.length);
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int tag = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return tag >= 1 && tag <= 8 ? values()[tag - 1] : NORMAL;
            }
        } catch (Exception unreadable) {
            // metadata is advice: a picture whose EXIF is damaged is still a picture
        }
        return NORMAL;
    }

    /**
     * The upright image. Turning commutes with a centre crop of a square, so the encoder applies
     * this to the small crop rather than to the full photo.
     */
    public BufferedImage apply(BufferedImage src) {
        if (this == NORMAL) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = ordinal() >= TRANSPOSE.ordinal();
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int sx;
                int sy;
                switch (this) {
                    case FLIP_HORIZONTAL -> { sx = w - 1 - x; sy = y; }
                    case ROTATE_180 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case FLIP_VERTICAL -> { sx = x; sy = h - 1 - y; }
                    case TRANSPOSE -> { sx = y; sy = x; }
                    case ROTATE_90_CW -> { sx = y; sy = h - 1 - x; }
                    case TRANSVERSE -> { sx = w - 1 - y; sy = h - 1 - x; }
                    case ROTATE_90_CCW -> { sx = w - 1 - y; sy = x; }
                    default -> { sx = x; sy = y; }
                }
                out.setRGB(x, y, src.getRGB(sx, sy));
            }
        }
        return out;
    }
}
