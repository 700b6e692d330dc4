package dev.viewfold.aggregate;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.viewfold.encode.ModelSpecException;
import dev.viewfold.encode.OnnxSignature;
import dev.viewfold.math.Vectors;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * For ordered views (a time series: the view id orders them): a user-supplied ONNX sequence model
 * reads the views as {@code [1, T, D]} and answers one vector {@code [1, D′]} (an LSTM's last state,
 * attention pooling, ...), run through DJL. Agreement is measured against the output when it has the
 * views' dimension, otherwise against their mean.
 */
public final class SequenceStrategy implements FoldStrategy, AutoCloseable {

    private final Path path;
    private final String inputName;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    public SequenceStrategy(Path path) {
        this.path = path;
        if (!Files.isRegularFile(path)) {
            throw new ModelSpecException("sequence model not found: " + path.toAbsolutePath()
                    + " (viewfold.aggregate.sequence-model)");
        }
        OnnxSignature signature = OnnxSignature.read(path);
        if (signature.inputs().size() != 1 || signature.inputs().values().iterator().next().length != 3) {
            throw new ModelSpecException("sequence model " + path + " must take one input [1, T, D]; it takes "
                    + OnnxSignature.describe(signature.inputs()));
        }
        inputName = signature.inputs().keySet().iterator().next();
        try {
            model = OnnxSignature.djlCriteria(path).build().loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new ModelSpecException("cannot load sequence model " + path + ": " + e.getMessage(), e);
        }
        predictor = model.newPredictor();
    }

    @Override
    public String name() {
        return "sequence";
    }

    @Override
    public synchronized Fold fold(List<View> views) {
        List<float[]> v = Consensus.vectors(views);
        int t = v.size();
        int d = v.get(0).length;
        FloatBuffer buf = FloatBuffer.allocate(t * d);
        v.forEach(buf::put);
        buf.flip();
        float[] out;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(buf, new Shape(1, t, d));
            x.setName(inputName);
            NDArray y = predictor.predict(new NDList(x)).get(0);
            out = y.toFloatArray();
        } catch (TranslateException e) {
            throw new IllegalStateException("sequence model " + path + " failed on " + t + " views of " + d
                    + " dimensions: " + e.getMessage(), e);
        }
        float[] folded = Vectors.normalised(out);
        if (folded == null) {
            throw new IllegalStateException("sequence model " + path + " answered a vector with no direction");
        }
        float[] reference = folded.length == d ? folded : Consensus.mean(v);
        float[] agreement = Consensus.agreement(v, reference);
        boolean[] outlier = new boolean[t];
        return new Fold(folded, agreement, outlier, Consensus.dispersion(agreement, outlier),
                String.format(Locale.ROOT, "sequence: %d views in view order through %s → %d-d%s", t,
                        path.getFileName(), folded.length, folded.length == d ? "" : " (agreement against the views' mean)"));
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    @Override
    public String toString() {
        return "sequence(" + path + ")";
    }
}
