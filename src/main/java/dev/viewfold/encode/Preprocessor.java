package dev.viewfold.encode;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Resize (shorter side to {@code resize}), centre-crop to {@code size}, normalise, lay out: pixels
 * into the float tensor of one image. Transparent pixels are composited on white.
 */
public final class Preprocessor {

    private final ModelSpec spec;

    public Preprocessor(ModelSpec spec) {
        this.spec = spec;
    }

    /** Floats of one image, {@code channels × size × size} in the spec's layout, upright. */
    public float[] toTensor(DecodedImage decoded) {
        int size = spec.size();
        BufferedImage crop = decoded.orientation().apply(spec.resizeMode() == ModelSpec.ResizeMode.EXACT
                ? squeeze(decoded.pixels(), size) : resizeAndCrop(decoded.pixels(), spec.resize(), size));
        int[] argb = crop.getRGB(0, 0, size, size, null, 0, size);
        int channels = spec.channels().count;
        float[] out = new float[channels * size * size];
        int plane = size * size;
        float[] mean = spec.mean();
        float[] std = spec.std();
        float scale = spec.scale();
        boolean nchw = spec.layout() == ModelSpec.Layout.NCHW;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            for (int c = 0; c < channels; c++) {
                float v = switch (spec.channels()) {
                    case RGB -> c == 0 ? r : c == 1 ? g : b;
                    case BGR -> c == 0 ? b : c == 1 ? g : r;
                    case GREY -> 0.299f * r + 0.587f * g + 0.114f * b;
                };
                float normalised = (v / scale - mean[c]) / std[c];
                out[nchw ? c * plane + i : i * channels + c] = normalised;
            }
        }
        return out;
    }

    static BufferedImage resizeAndCrop(BufferedImage source, int shorterSide, int crop) {
        int w = source.getWidth();
        int h = source.getHeight();
        double s = (double) shorterSide / Math.min(w, h);
        int sw = Math.max(crop, (int) Math.round(w * s));
        int sh = Math.max(crop, (int) Math.round(h * s));
        BufferedImage img = halveDownTo(source, sw, sh);
        return draw(img, crop, crop, -(sw - crop) / 2, -(sh - crop) / 2, sw, sh);
    }

    /**
     * Halves while the picture is more than twice the target: each bilinear halving averages 2×2
     * pixels, so large photos shrink without the aliasing of one big bilinear step.
     */
    private static BufferedImage halveDownTo(BufferedImage source, int w, int h) {
        BufferedImage img = source;
        while (img.getWidth() / 2 >= w && img.getHeight() / 2 >= h) {
            img = draw(img, img.getWidth() / 2, img.getHeight() / 2, 0, 0, img.getWidth() / 2, img.getHeight() / 2);
        }
        return img;
    }

    /** The whole picture to {@code size × size}, halving first as {@link #resizeAndCrop} does. */
    static BufferedImage squeeze(BufferedImage source, int size) {
        return draw(halveDownTo(source, size, size), size, size, 0, 0, size, size);
    }

    private static BufferedImage draw(BufferedImage src, int canvasW, int canvasH, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(canvasW, canvasH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvasW, canvasH);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, x, y, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
