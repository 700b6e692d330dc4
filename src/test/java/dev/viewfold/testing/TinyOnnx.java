package dev.viewfold.testing;

import ai.onnx.proto.OnnxMl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small ONNX models for tests, through the ONNX protobuf classes (no Python needed). */
public final class TinyOnnx {

    private TinyOnnx() {
    }

    /**
     * A sequence model {@code views [1, T, d] → folded [1, out]}: the mean over T, times a fixed
     * {@code d × out} weight matrix whose entry (i, j) is {@code weight(i, j)}.
     */
    public static void sequenceModel(Path file, int d, int out, java.util.function.IntBinaryOperator weightCode)
            throws IOException {
        OnnxMl.TensorProto.Builder w = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(d).addDims(out);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < out; j++) {
                w.addFloatData(weightCode.applyAsInt(i, j));
            }
        }
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("sequence")
                .addInput(tensor("views", dim(1), named("T"), dim(d)))
                .addOutput(tensor("folded", dim(1), dim(out)))
                .addInitializer(w)
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("ReduceMean").addInput("views").addOutput("m")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                                .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(1))
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0)))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("m").addInput("W").addOutput("folded"))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("viewfold-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
        Files.write(file, model.toByteArray());
    }

    /** A sequence model {@code views [1, T, d] → last [1, d]}: the last view, so order matters. */
    public static void lastStepModel(Path file, int d) throws IOException {
        OnnxMl.TensorProto minusOne = OnnxMl.TensorProto.newBuilder().setName("last")
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addInt64Data(-1).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("last-step")
                .addInput(tensor("views", dim(1), named("T"), dim(d)))
                .addOutput(tensor("folded", dim(1), dim(d)))
                .addInitializer(minusOne)
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gather").addInput("views").addInput("last")
                        .addOutput("folded").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                .build();
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("viewfold-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build().toByteArray());
    }

    /**
     * An image model unlike the shared ones: NHWC input {@code pixels [N, size, size, 3]}, a
     * transpose to NCHW, a 1×1 convolution that copies the three channels and adds a fourth that is
     * always 1 (its bias), and the feature map {@code features [N, 4, size, size]} as output. Global
     * average pooling of it gives the mean of each input channel, and 1.
     */
    public static void nhwcImageModel(Path file, int size) throws IOException {
        OnnxMl.TensorProto.Builder w = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(4).addDims(3).addDims(1).addDims(1);
        for (int out = 0; out < 4; out++) {
            for (int in = 0; in < 3; in++) {
                w.addFloatData(out == in ? 1f : 0f);
            }
        }
        OnnxMl.TensorProto bias = OnnxMl.TensorProto.newBuilder().setName("B")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(4)
                .addFloatData(0).addFloatData(0).addFloatData(0).addFloatData(1).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("nhwc")
                .addInput(tensor("pixels", named("N"), dim(size), dim(size), dim(3)))
                .addOutput(tensor("features", named("N"), dim(4), dim(size), dim(size)))
                .addInitializer(w).addInitializer(bias)
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Transpose").addInput("pixels").addOutput("nchw")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("perm")
                                .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(0).addInts(3).addInts(1).addInts(2)))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Conv").addInput("nchw").addInput("W").addInput("B")
                        .addOutput("features"))
                .build();
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("viewfold-tests")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build().toByteArray());
    }

    private static OnnxMl.ValueInfoProto tensor(String name, OnnxMl.TensorShapeProto.Dimension... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (var d : dims) {
            shape.addDim(d);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private static OnnxMl.TensorShapeProto.Dimension dim(long v) {
        return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    private static OnnxMl.TensorShapeProto.Dimension named(String p) {
        return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(p).build();
    }
}
