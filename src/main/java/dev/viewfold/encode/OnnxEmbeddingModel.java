package dev.viewfold.encode;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One ONNX image model run through DJL's ONNX Runtime engine. At construction the model is loaded
 * once and checked against its spec (input name and shape, output name, pooling) by running one
 * blank image, so a wrong file or spec stops start-up with a message that names both.
 */
public final class OnnxEmbeddingModel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxEmbeddingModel.class);

    private final ModelSpec spec;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final String inputName;
    /** Batch size the model insists on, or 0 when its batch axis is dynamic. */
    private final int fixedBatch;
    private final int dimension;
    /** Largest batch sent to the model when its batch axis is dynamic. */
    private final int maxBatch;
    /** Where the model really runs, for the log: "CPU" or "CUDA (GPU 0)". */
    private String runsOn = "CPU";

    /**
     * Loads on the asked accelerator. A GPU needs ONNX Runtime's CUDA provider (the onnxruntime_gpu
     * build, -Pgpu) and CUDA/cuDNN on the host; without them start-up stops, or runs on CPU when
     * fallback is allowed, and says which.
     */
    private ZooModel<NDList, NDList> load(Criteria.Builder<NDList, NDList> criteria, Path path, Options options)
            throws IOException, ModelNotFoundException, MalformedModelException {
        if (options.accelerator() == Accelerator.CPU) {
            return criteria.optDevice(Device.cpu()).build().loadModel();
        }
        var providers = OrtEnvironment.getAvailableProviders();
        String problem;
        if (!providers.contains(OrtProvider.CUDA)) {
            problem = "this ONNX Runtime build has no CUDA provider (it has " + providers
                    + "); build the encode container with -Pgpu (onnxruntime_gpu)";
        } else {
            try {
                ZooModel<NDList, NDList> gpu = criteria.optDevice(Device.gpu()).build().loadModel();
                runsOn = "CUDA (GPU 0)";
                return gpu;
            } catch (MalformedModelException | RuntimeException e) {
                problem = "the CUDA provider could not start (CUDA and cuDNN libraries on this host?): " + e.getMessage();
            }
        }
        if (!options.cpuFallback()) {
            throw new ModelSpecException("a GPU was asked for (viewfold.model.device=gpu) for " + path + " but "
                    + problem + "; set viewfold.model.gpu-fallback=true to run on CPU instead");
        }
        LOG.warnf("GPU asked for but %s; running on CPU (viewfold.model.gpu-fallback=true)", problem);
        return criteria.optDevice(Device.cpu()).build().loadModel();
    }

    /** Where the model runs. */
    public enum Accelerator { CPU, GPU }

    /**
     * @param maxBatch    largest batch per model call when the model allows any; a model whose batch
     *                    axis is fixed gets exactly its size
     * @param threads     ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per core)
     * @param accelerator CPU, or GPU through ONNX Runtime's CUDA provider
     * @param cpuFallback when a GPU is asked for but cannot be had: run on CPU (true) or stop (false)
     */
    public record Options(int maxBatch, int threads, Accelerator accelerator, boolean cpuFallback) {
        public static final Options DEFAULT = new Options(32, 0, Accelerator.CPU, false);
    }

    public OnnxEmbeddingModel(ModelSpec spec) {
        this(spec, Options.DEFAULT);
    }

    public OnnxEmbeddingModel(ModelSpec spec, int maxBatch, int threads) {
        this(spec, new Options(maxBatch, threads, Accelerator.CPU, false));
    }

    public OnnxEmbeddingModel(ModelSpec spec, Options options) {
        this.spec = spec;
        this.maxBatch = Math.max(1, options.maxBatch());
        int threads = options.threads();
        Path path = spec.path();
        if (!Files.isRegularFile(path)) {
            throw new ModelSpecException(missingFileMessage(path));
        }
        OnnxSignature signature = OnnxSignature.read(path);
        inputName = chooseInput(signature);
        fixedBatch = checkInputShape(signature.inputs().get(inputName));
        checkOutput(signature);
        try {
            var criteria = OnnxSignature.djlCriteria(path);
            if (threads > 0) {
                criteria.optOption("intraOpNumThreads", Integer.toString(threads))
                        .optOption("interOpNumThreads", "1");
            }
            model = load(criteria, path, options);
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw e instanceof ModelSpecException mse ? mse
                    : new ModelSpecException("cannot load model file " + path + " with ONNX Runtime: " + e.getMessage(), e);
        }
        try {
            predictor = model.newPredictor();
            dimension = probeOutput();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        LOG.infof("model %s: input '%s' %s, output '%s' → %d-d (%s pooling), batch %s, ONNX Runtime on %s",
                path, inputName, java.util.Arrays.toString(signature.inputs().get(inputName)), spec.output(), dimension,
                spec.pooling().name().toLowerCase(), fixedBatch == 0 ? "up to " + this.maxBatch : "fixed at " + fixedBatch, runsOn);
    }

    static String missingFileMessage(Path path) {
        return "model file not found: " + path.toAbsolutePath()
                + " (set VIEWFOLD_MODEL or viewfold.model.path to an .onnx file)";
    }

    public int dimension() {
        return dimension;
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * Embeds images given as preprocessed tensors ({@link Preprocessor#toTensor}); returns one raw
     * (not yet normalised) vector per image, in order. Batches as large as the model allows.
     */
    public synchronized float[][] embed(List<float[]> tensors) {
        if (tensors.isEmpty()) {
            return new float[0][];
        }
        float[][] out = new float[tensors.size()][];
        int step = fixedBatch == 0 ? maxBatch : fixedBatch;
        for (int from = 0; from < tensors.size(); from += step) {
            int n = Math.min(step, tensors.size() - from);
            float[][] part = run(tensors.subList(from, from + n), n);
            System.arraycopy(part, 0, out, from, n);
        }
        return out;
    }

    private float[][] run(List<float[]> tensors, int n) {
        int perImage = tensors.get(0).length;
        FloatBuffer buf = FloatBuffer.allocate(n * perImage);
        tensors.forEach(buf::put);
        buf.flip();
        int size = spec.size();
        int c = spec.channels().count;
        Shape shape = spec.layout() == ModelSpec.Layout.NCHW ? new Shape(n, c, size, size) : new Shape(n, size, size, c);
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(buf, shape);
            x.setName(inputName);
            NDList result = predictor.predict(new NDList(x));
            NDArray y = result.get(spec.output());
            if (y == null) {
                throw new ModelSpecException("model " + spec.path() + " has no output '" + spec.output()
                        + "'; its outputs are " + describe(result) + " (set viewfold.model.output)");
            }
            return pool(y, n);
        } catch (TranslateException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + n + ": " + e.getMessage(), e);
        }
    }

    private float[][] pool(NDArray y, int n) {
        Shape s = y.getShape();
        if (s.dimension() < 2 || s.get(0) != n) {
            throw new ModelSpecException("output '" + spec.output() + "' of " + spec.path() + " has shape " + s
                    + "; expected the batch (" + n + ") first");
        }
        float[] flat = y.toFloatArray();
        int per = flat.length / n;
        float[][] out = new float[n][];
        switch (spec.pooling()) {
            case NONE -> {
                if (s.dimension() != 2) {
                    throw new ModelSpecException("output '" + spec.output() + "' of " + spec.path() + " has shape " + s
                            + ", not [batch, d]: set viewfold.model.pooling to flatten or average");
                }
                for (int i = 0; i < n; i++) {
                    out[i] = java.util.Arrays.copyOfRange(flat, i * per, (i + 1) * per);
                }
            }
            case FLATTEN -> {
                for (int i = 0; i < n; i++) {
                    out[i] = java.util.Arrays.copyOfRange(flat, i * per, (i + 1) * per);
                }
            }
            case AVERAGE -> {
                if (s.dimension() != 4) {
                    throw new ModelSpecException("output '" + spec.output() + "' of " + spec.path() + " has shape " + s
                            + "; average pooling needs a feature map [batch, c, h, w]");
                }
                int channels = (int) s.get(1);
                int spatial = per / channels;
                for (int i = 0; i < n; i++) {
                    float[] v = new float[channels];
                    for (int ch = 0; ch < channels; ch++) {
                        double sum = 0;
                        int base = i * per + ch * spatial;
                        for (int k = 0; k < spatial; k++) {
                            sum += flat[base + k];
                        }
                        v[ch] = (float) (sum / spatial);
                    }
                    out[i] = v;
                }
            }
        }
        return out;
    }

    private String chooseInput(OnnxSignature signature) {
        var inputs = signature.inputs();
        if (spec.input().isPresent()) {
            String want = spec.input().get();
            if (!inputs.containsKey(want)) {
                throw new ModelSpecException("model " + spec.path() + " has no input '" + want + "'; its inputs are "
                        + OnnxSignature.describe(inputs) + " (set viewfold.model.input)");
            }
            return want;
        }
        if (inputs.size() != 1) {
            throw new ModelSpecException("model " + spec.path() + " has " + inputs.size() + " inputs ("
                    + OnnxSignature.describe(inputs) + "); name the image input with viewfold.model.input");
        }
        return inputs.keySet().iterator().next();
    }

    private void checkOutput(OnnxSignature signature) {
        long[] shape = signature.outputs().get(spec.output());
        if (shape == null) {
            throw new ModelSpecException("model " + spec.path() + " has no output '" + spec.output()
                    + "'; its outputs are " + OnnxSignature.describe(signature.outputs()) + " (set viewfold.model.output)");
        }
        if (spec.pooling() == ModelSpec.Pooling.NONE && shape.length != 2) {
            throw new ModelSpecException("output '" + spec.output() + "' of " + spec.path() + " is "
                    + java.util.Arrays.toString(shape).replace("-1", "?")
                    + ", not one vector per image [batch, d]: set viewfold.model.pooling to flatten or average");
        }
        if (spec.pooling() == ModelSpec.Pooling.AVERAGE && shape.length != 4) {
            throw new ModelSpecException("output '" + spec.output() + "' of " + spec.path() + " is "
                    + java.util.Arrays.toString(shape).replace("-1", "?")
                    + "; average pooling needs a feature map [batch, c, h, w]");
        }
    }

    /** Checks rank, channels and fixed spatial sizes; returns the fixed batch size or 0. */
    private int checkInputShape(long[] shape) {
        String shown = java.util.Arrays.toString(shape).replace("-1", "?");
        if (shape.length != 4) {
            throw new ModelSpecException("input '" + inputName + "' of " + spec.path() + " has shape " + shown
                    + "; an image model needs 4 axes (batch, channels, height, width or NHWC)");
        }
        boolean nchw = spec.layout() == ModelSpec.Layout.NCHW;
        long channels = nchw ? shape[1] : shape[3];
        long height = nchw ? shape[2] : shape[1];
        long width = nchw ? shape[3] : shape[2];
        List<String> problems = new ArrayList<>();
        if (channels > 0 && channels != spec.channels().count) {
            problems.add("it takes " + channels + " channels but viewfold.model.channels is "
                    + spec.channels().name().toLowerCase() + " (" + spec.channels().count + ")");
        }
        if ((height > 0 && height != spec.size()) || (width > 0 && width != spec.size())) {
            problems.add("it takes " + height + "×" + width + " pixels but viewfold.model.size is " + spec.size());
        }
        if (!problems.isEmpty()) {
            throw new ModelSpecException("input '" + inputName + "' of " + spec.path() + " is " + shown + " ("
                    + spec.layout().name().toLowerCase() + "): " + String.join("; ", problems));
        }
        return shape[0] > 0 ? (int) shape[0] : 0;
    }

    /** Runs one blank image through the model to learn (and check) the output dimension. */
    private int probeOutput() {
        int c = spec.channels().count;
        int n = fixedBatch == 0 ? 1 : fixedBatch;
        List<float[]> blank = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            blank.add(new float[c * spec.size() * spec.size()]);
        }
        float[][] v = run(blank, n);
        if (v[0].length == 0) {
            throw new ModelSpecException("output '" + spec.output() + "' of " + spec.path() + " is empty");
        }
        return v[0].length;
    }

    private static String describe(NDList list) {
        List<String> parts = new ArrayList<>();
        for (NDArray a : list) {
            parts.add(a.getName() + " " + a.getShape());
        }
        return parts.toString();
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
