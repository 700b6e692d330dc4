package dev.viewfold.testing;

import dev.viewfold.encode.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The shared models and datasets beside the repository ({@code ../shared}); never copied in. */
public final class Shared {

    private Shared() {
    }

    public static Path root() {
        Path p = Path.of(System.getProperty("shared.root", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("models"))) {
            throw new IllegalStateException("the shared models and datasets are not at " + p
                    + " (set -Dshared.root=...)");
        }
        return p;
    }

    public static Path model(String relative) {
        return root().resolve("models").resolve(relative);
    }

    public static Path dataset(String relative) {
        return root().resolve("datasets").resolve(relative);
    }

    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** MobileNetV2 int8, pooled 1280-d {@code embedding} output, dynamic batch. */
    public static ModelSpec mobilenet() {
        return imagenet(model("mobilenetv2-12-int8/model-embedding.onnx"), "mobilenetv2-12-int8");
    }

    /** ShuffleNetV2 int8, pooled 1024-d {@code embedding} output, batch fixed at 1. */
    public static ModelSpec shufflenet() {
        return imagenet(model("shufflenet-v2-12-int8/model-embedding.onnx"), "shufflenet-v2-12-int8");
    }

    public static ModelSpec imagenet(Path path, String name) {
        return new ModelSpec(path, name, Optional.empty(), "embedding", 224, 256, ModelSpec.Channels.RGB,
                ModelSpec.Layout.NCHW, 255f, IMAGENET_MEAN, IMAGENET_STD, ModelSpec.Pooling.NONE);
    }

    /** The Fashion-MNIST autoencoder's encoder: grey 28×28 in [0,1], output [b,8,4,4] to flatten. */
    public static ModelSpec fashionEncoder(ModelSpec.Pooling pooling) {
        return new ModelSpec(model("fashion-autoencoder/encoder.onnx"), "fashion-autoencoder", Optional.empty(),
                "encoded", 28, 28, ModelSpec.Channels.GREY, ModelSpec.Layout.NCHW, 255f,
                new float[] {0f}, new float[] {1f}, pooling);
    }
}
