package dev.viewfold.encode;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The declared inputs and outputs of an ONNX file (name → shape, -1 for a dynamic axis).
 * DJL's ONNX Runtime engine reports input names without shapes, so the graph's signature is read
 * through a short-lived, unoptimised ONNX Runtime session, closed at once.
 */
public record OnnxSignature(Map<String, long[]> inputs, Map<String, long[]> outputs) {

    public static OnnxSignature read(Path model) {
        // DJL's engine owns the process-wide ORT environment (with its thread pool): create it first.
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                return new OnnxSignature(shapes(session.getInputInfo()), shapes(session.getOutputInfo()));
            }
        } catch (OrtException e) {
            throw new ModelSpecException("cannot read model file " + model + " with ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static Map<String, long[]> shapes(Map<String, NodeInfo> infos) {
        Map<String, long[]> out = new LinkedHashMap<>();
        infos.forEach((name, info) -> out.put(name,
                info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0]));
        return out;
    }

    /** How Viewfold loads an ONNX file through DJL: raw NDLists in and out, the ONNX Runtime engine. */
    public static ai.djl.repository.zoo.Criteria.Builder<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> djlCriteria(Path model) {
        return ai.djl.repository.zoo.Criteria.builder()
                .setTypes(ai.djl.ndarray.NDList.class, ai.djl.ndarray.NDList.class)
                .optModelPath(model)
                .optEngine("OnnxRuntime")
                .optTranslator(new ai.djl.translate.NoopTranslator());
    }

    public static String describe(Map<String, long[]> nodes) {
        StringBuilder sb = new StringBuilder();
        nodes.forEach((name, shape) -> sb.append(sb.length() == 0 ? "" : ", ").append("'").append(name).append("' ")
                .append(Arrays.toString(shape).replace("-1", "?")));
        return sb.toString();
    }
}
