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
