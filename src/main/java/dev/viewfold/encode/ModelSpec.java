package dev.viewfold.encode;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How to turn a photo into the tensor one ONNX model expects, and how to read its answer.
 * Nothing here assumes 224 pixels, three channels, a dimension or a batch size.
 *
 * @param resize  shorter side after resizing, before the centre crop of {@code size} (resize mode
 *                {@code shorter}); unused in mode {@code exact}, which squeezes the whole picture to
 *                {@code size × size} without cropping
 * @param scale   pixel values (0..255) are divided by this, then {@code (v - mean) / std} per channel
 * @param pooling how the named output becomes one vector
 */
public record ModelSpec(
        Path path,
        String name,
        Optional<String> input,
        String output,
        int size,
        int resize,
        Channels channels,
        Layout layout,
        float scale,
        float[] mean,
        float[] std,
        Pooling pooling,
        ResizeMode resizeMode) {

    /** How the picture becomes {@code size × size}. */
    public enum ResizeMode {
        /** Shorter side to {@code resize}, then the centre {@code size × size}: keeps the aspect. */
        SHORTER,
        /** The whole picture squeezed to {@code size × size}: nothing cut off, aspect not kept. */
        EXACT
    }

    public ModelSpec(Path path, String name, Optional<String> input, String output, int size, int resize,
                     Channels channels, Layout layout, float scale, float[] mean, float[] std, Pooling pooling) {
        this(path, name, input, output, size, resize, channels, layout, scale, mean, std, pooling, ResizeMode.SHORTER);
    }

    public enum Channels {
        RGB(3), BGR(3), GREY(1);

        public final int count;

        Channels(int count) {
            this.count = count;
        }
    }

    public enum Layout { NCHW, NHWC }

    public enum Pooling {
        /** The output is already one vector per image: {@code [batch, d]}. */
        NONE,
        /** Row-major flatten of a feature map {@code [batch, c, h, w]} into {@code c·h·w}. */
        FLATTEN,
        /** Global average over the spatial axes of {@code [batch, c, h, w]} into {@code c}. */
        AVERAGE
    }

    public ModelSpec {
        if (size < 1) {
            throw new ModelSpecException("viewfold.model.size must be positive, was " + size);
        }
        if (resize < size) {
            throw new ModelSpecException("viewfold.model.resize (" + resize + ") must be at least the crop size (" + size + ")");
        }
        if (mean.length != channels.count || std.length != channels.count) {
            throw new ModelSpecException("viewfold.model.mean and .std need " + channels.count + " values for "
                    + channels.name().toLowerCase(Locale.ROOT) + " input, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (s == 0f) {
                throw new ModelSpecException("viewfold.model.std must not contain 0");
            }
        }
    }

    /** The preprocessing and reading choices, canonically: part of the embedding space's identity. */
    public String preprocessingSignature() {
        return "input=" + input.orElse("") + ";output=" + output + ";size=" + size + ";resize=" + resize
                + (resizeMode == ResizeMode.EXACT ? ";resize-mode=exact" : "")
                + ";channels=" + channels + ";layout=" + layout + ";scale=" + scale
                + ";mean=" + Arrays.toString(mean) + ";std=" + Arrays.toString(std) + ";pooling=" + pooling;
    }
}
