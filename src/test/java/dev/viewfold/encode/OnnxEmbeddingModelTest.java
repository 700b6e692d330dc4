package dev.viewfold.encode;

import dev.viewfold.math.Vectors;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both shared embedding models, and the ways a model or its spec can be wrong. */
class OnnxEmbeddingModelTest {

    @TempDir
    Path dir;

    @Test
    void mobilenetGives1280dAndBatchesFreely() {
        try (var model = new OnnxEmbeddingModel(Shared.mobilenet())) {
            assertEquals(1280, model.dimension());
            float[][] v = model.embed(List.of(tensor(0.1f), tensor(-0.3f), tensor(0.1f)));
            assertEquals(3, v.length);
            assertArrayEquals(v[0], v[2], 1e-5f, "same input, same vector, whatever its place in the batch");
        }
    }

    @Test
    void shufflenetWithItsBatchFixedAtOneStillTakesSeveralImages() {
        try (var model = new OnnxEmbeddingModel(Shared.shufflenet())) {
            assertEquals(1024, model.dimension());
            float[][] v = model.embed(List.of(tensor(0.2f), tensor(-0.5f), tensor(0.2f)));
            assertEquals(3, v.length);
            assertArrayEquals(v[0], v[2], 1e-5f);
            assertTrue(Vectors.dot(v[0], v[1]) != Vectors.dot(v[0], v[0]));
        }
    }

    @Test
    void aFeatureMapOutputIsFlattenedWhenTheSpecSaysSo() {
        try (var model = new OnnxEmbeddingModel(Shared.fashionEncoder(ModelSpec.Pooling.FLATTEN))) {
            assertEquals(8 * 4 * 4, model.dimension());
        }
        try (var model = new OnnxEmbeddingModel(Shared.fashionEncoder(ModelSpec.Pooling.AVERAGE))) {
            assertEquals(8, model.dimension());
        }
        var e = assertThrows(ModelSpecException.class,
                () -> new OnnxEmbeddingModel(Shared.fashionEncoder(ModelSpec.Pooling.NONE)));
        assertTrue(e.getMessage().contains("'encoded'") && e.getMessage().contains("[?, 8, 4, 4]")
                && e.getMessage().contains("pooling to flatten"), e.getMessage());
    }

    @Test
    void theFloatModelsRunToo() {
        try (var fp32 = new OnnxEmbeddingModel(Shared.imagenet(Shared.model("mobilenetv2-fp32/model.onnx"), "fp32"));
             var fp16 = new OnnxEmbeddingModel(Shared.imagenet(Shared.model("mobilenetv2-fp16/model.onnx"), "fp16"))) {
            float[] a = fp32.embed(List.of(tensor(0.3f)))[0];
            float[] b = fp16.embed(List.of(tensor(0.3f)))[0];
            assertEquals(1280, a.length);
            assertEquals(1280, b.length);
            assertTrue(Vectors.cosine(a, b) > 0.99, "fp16 computes what fp32 does: " + Vectors.cosine(a, b));
        }
    }

    @Test
    void anNhwcBgrModelOfAnotherSizeIsReadAsItsSpecSays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nhwc.onnx");
        dev.viewfold.testing.TinyOnnx.nhwcImageModel(file, 40);
        var spec = new ModelSpec(file, "tiny", Optional.empty(), "features", 40, 40, ModelSpec.Channels.BGR,
                ModelSpec.Layout.NHWC, 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1}, ModelSpec.Pooling.AVERAGE);
        try (var model = new OnnxEmbeddingModel(spec)) {
            assertEquals(4, model.dimension());
            java.awt.image.BufferedImage red = new java.awt.image.BufferedImage(64, 50, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 64; x++) {
                    red.setRGB(x, y, 0xFF0000);
                }
            }
            float[] t = new Preprocessor(spec).toTensor(new DecodedImage(red, Orientation.NORMAL));
            assertEquals(40 * 40 * 3, t.length);
            float[][] v = model.embed(List.of(t, t, t));
            // BGR: blue 0, green 0, red 1; the fourth channel is the bias, 1
            assertArrayEquals(new float[] {0, 0, 1, 1}, v[2], 1e-5f);
        }
        var rgb = new ModelSpec(file, "tiny", Optional.empty(), "features", 40, 40, ModelSpec.Channels.RGB,
                ModelSpec.Layout.NCHW, 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1}, ModelSpec.Pooling.AVERAGE);
        var e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(rgb));
        assertTrue(e.getMessage().contains("takes 40 channels but viewfold.model.channels is rgb (3)")
                || e.getMessage().contains("(nchw)"), e.getMessage());
    }

    @Test
    void aGpuThatCannotBeHadStopsStartUpUnlessFallbackIsAllowed() {
        // CI and this machine have the CPU build of ONNX Runtime and no GPU
        var gpu = new OnnxEmbeddingModel.Options(32, 0, OnnxEmbeddingModel.Accelerator.GPU, false);
        var e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(Shared.mobilenet(), gpu));
        assertTrue(e.getMessage().contains("a GPU was asked for (viewfold.model.device=gpu)")
                && e.getMessage().contains("no CUDA provider") && e.getMessage().contains("gpu-fallback=true"), e.getMessage());
        var fallback = new OnnxEmbeddingModel.Options(32, 0, OnnxEmbeddingModel.Accelerator.GPU, true);
        try (var model = new OnnxEmbeddingModel(Shared.mobilenet(), fallback)) {
            assertEquals(1280, model.dimension());
        }
    }

    @Test
    void exactResizeSqueezesTheWholePictureAndIsAnotherSpace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nhwc.onnx");
        dev.viewfold.testing.TinyOnnx.nhwcImageModel(file, 40);
        // left half red, right half blue, 80×40: a centre crop sees both halves, a squeeze all of it
        java.awt.image.BufferedImage halves = new java.awt.image.BufferedImage(80, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 80; x++) {
                halves.setRGB(x, y, x < 20 ? 0xFF0000 : 0x0000FF);
            }
        }
        var exact = new ModelSpec(file, "tiny", Optional.empty(), "features", 40, 40, ModelSpec.Channels.RGB,
                ModelSpec.Layout.NHWC, 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1}, ModelSpec.Pooling.AVERAGE,
                ModelSpec.ResizeMode.EXACT);
        var shorter = new ModelSpec(file, "tiny", Optional.empty(), "features", 40, 40, ModelSpec.Channels.RGB,
                ModelSpec.Layout.NHWC, 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1}, ModelSpec.Pooling.AVERAGE);
        try (var model = new OnnxEmbeddingModel(exact)) {
            float[] squeezed = model.embed(List.of(new Preprocessor(exact).toTensor(new DecodedImage(halves, Orientation.NORMAL))))[0];
            float[] cropped = model.embed(List.of(new Preprocessor(shorter).toTensor(new DecodedImage(halves, Orientation.NORMAL))))[0];
            assertEquals(0.25, squeezed[0], 0.03, "a quarter of the picture is red");
            assertEquals(0.0, cropped[0], 0.03, "the centre 40×40 (x 20..60) is all blue");
        }
        assertTrue(!ModelSpace.of(exact).equals(ModelSpace.of(shorter)), "another resize mode is another space");
    }

    @Test
    void aMissingModelFileIsNamed() {
        var spec = Shared.imagenet(dir.resolve("nowhere/model.onnx"), "x");
        var e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(spec));
        assertTrue(e.getMessage().startsWith("model file not found: " + dir.resolve("nowhere/model.onnx")), e.getMessage());
    }

    @Test
    void aFileThatIsNotAModelIsNamed() throws IOException {
        Path fake = dir.resolve("model.onnx");
        Files.writeString(fake, "<!DOCTYPE html><html>not a model</html>");
        var e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(Shared.imagenet(fake, "x")));
        assertTrue(e.getMessage().startsWith("cannot read model file " + fake), e.getMessage());
    }

    @Test
    void anOutputTheModelLacksIsNamedWithTheOnesItHas() {
        var s = Shared.mobilenet();
        var spec = new ModelSpec(s.path(), s.name(), s.input(), "features", s.size(), s.resize(), s.channels(),
                s.layout(), s.scale(), s.mean(), s.std(), s.pooling());
        var e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(spec));
        assertTrue(e.getMessage().contains("has no output 'features'; its outputs are 'output' [?, 1000], 'embedding' [?, 1280]"),
                e.getMessage());
    }

    @Test
    void anInputSizeOrChannelCountThatDisagreesIsNamed() {
        var s = Shared.shufflenet();
        var wrongSize = new ModelSpec(s.path(), s.name(), Optional.empty(), s.output(), 256, 292, s.channels(),
                s.layout(), s.scale(), s.mean(), s.std(), s.pooling());
        var e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(wrongSize));
        assertTrue(e.getMessage().contains("is [1, 3, 224, 224]") && e.getMessage().contains("viewfold.model.size is 256"),
                e.getMessage());
        var grey = new ModelSpec(s.path(), s.name(), Optional.empty(), s.output(), 224, 256, ModelSpec.Channels.GREY,
                s.layout(), s.scale(), new float[] {0}, new float[] {1}, s.pooling());
        e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(grey));
        assertTrue(e.getMessage().contains("takes 3 channels but viewfold.model.channels is grey"), e.getMessage());
        var named = new ModelSpec(s.path(), s.name(), Optional.of("pixels"), s.output(), 224, 256, s.channels(),
                s.layout(), s.scale(), s.mean(), s.std(), s.pooling());
        e = assertThrows(ModelSpecException.class, () -> new OnnxEmbeddingModel(named));
        assertTrue(e.getMessage().contains("has no input 'pixels'; its inputs are 'input' [1, 3, 224, 224]"), e.getMessage());
    }

    @Test
    void theSpaceChangesWithTheModelAndWithThePreprocessing() {
        var a = Shared.mobilenet();
        var b = Shared.shufflenet();
        var c = new ModelSpec(a.path(), a.name(), a.input(), a.output(), a.size(), 224, a.channels(), a.layout(),
                a.scale(), a.mean(), a.std(), a.pooling());
        assertEquals(ModelSpace.of(a), ModelSpace.of(Shared.mobilenet()), "stable for the same spec");
        assertTrue(ModelSpace.of(a).startsWith("mobilenetv2-12-int8@"));
        assertTrue(!ModelSpace.of(a).equals(ModelSpace.of(c)), "another resize is another space");
        assertTrue(!ModelSpace.of(b).substring(b.name().length()).equals(ModelSpace.of(a).substring(a.name().length())));
    }

    private static float[] tensor(float value) {
        float[] t = new float[3 * 224 * 224];
        for (int i = 0; i < t.length; i++) {
            t[i] = value * ((i % 7) - 3);
        }
        return t;
    }
}
