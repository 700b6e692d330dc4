package dev.viewfold.bench;

import dev.viewfold.math.DotKernel;
import dev.viewfold.math.DotKernels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calibrates the near-duplicate threshold on real embeddings (MobileNetV2-int8), every pair counted:
 * <ul>
 *   <li>COIL-100: two views of one object 5° apart are near-duplicates; views of different objects
 *       are not (same object, further apart: neither, left out);</li>
 *   <li>re-uploads (when SearchBench's corpus is there): a photo and its own 80% centre crop or mirror
 *       image are duplicates; two different photos are not.</li>
 * </ul>
 * {@code ./mvnw -q -Pbench verify -Dbench=DuplicateCalibration -Dbench.jvm="--add-modules jdk.incubator.vector"}
 */
public final class DuplicateCalibration {

    static final double[] THRESHOLDS = {0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98};

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared")).toAbsolutePath().normalize();
        DotKernel dot = DotKernels.best();
        Map<String, List<Embeddings.Item>> coil = Embeddings.of(shared, "coil100");
        List<float[]> vectors = new ArrayList<>();
        List<Integer> object = new ArrayList<>();
        List<Integer> angle = new ArrayList<>();
        int o = 0;
        for (List<Embeddings.Item> views : coil.values()) {
            for (Embeddings.Item v : views) {
                vectors.add(v.vector());
                object.add(o);
                angle.add(Integer.parseInt(v.viewId()));
            }
            o++;
        }
        long[] tp = new long[THRESHOLDS.length];
        long[] fp = new long[THRESHOLDS.length];
        long positives = 0;
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                boolean same = object.get(i).equals(object.get(j));
                int gap = Math.abs(angle.get(i) - angle.get(j));
                boolean adjacent = same && (gap == 5 || gap == 355);
                if (same && !adjacent) {
                    continue;
                }
                float s = dot.dot(vectors.get(i), 0, vectors.get(j), 0, vectors.get(i).length);
                positives += adjacent ? 1 : 0;
                for (int t = 0; t < THRESHOLDS.length; t++) {
                    if (s >= THRESHOLDS[t]) {
                        if (adjacent) {
                            tp[t]++;
                        } else {
                            fp[t]++;
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "COIL-100: %d adjacent-view pairs (5° apart) vs %d pairs of different objects%n",
                positives, (long) vectors.size() * (vectors.size() - 72) / 2);
        table(tp, fp, positives);

        Path corpusFile = Path.of(args.length > 0 ? args[0] : "target/bench-data/search/corpus.npy");
        if (Files.exists(corpusFile)) {
            float[][] corpus = dev.viewfold.search.Npy.readFloats(corpusFile);
            // Caltech-101 and Flowers: distinct photos (COIL's neighbouring views and ORL's portraits of
            // one person are near-copies of each other, not negatives). They follow COIL's 7,200 in the corpus.
            int from = 7_200;
            int images = 2_020 + 960;
            long[] tp2 = new long[THRESHOLDS.length];
            long[] fp2 = new long[THRESHOLDS.length];
            long pos2 = 0;
            // Originals (variant 0) against every other original: different photos; against their own crop (8) and mirror (1).
            for (int i = from; i < from + images; i++) {
                float[] a = corpus[i * SearchBench.VARIANTS];
                for (int copy : new int[] {1, 8}) {
                    count(dot.dot(a, 0, corpus[i * SearchBench.VARIANTS + copy], 0, a.length), true, tp2, fp2);
                    pos2++;
                }
                for (int j = i + 1; j < from + images; j++) {
                    count(dot.dot(a, 0, corpus[j * SearchBench.VARIANTS], 0, a.length), false, tp2, fp2);
                }
            }
            System.out.printf(Locale.ROOT, "%nRe-uploads: %d photos (Caltech-101 and Flowers), each against its mirror image and its 80%% centre crop (%d pairs),"
                    + " and against every other photo%n", images, pos2);
            table(tp2, fp2, pos2);
        }
    }

    static void count(float s, boolean positive, long[] tp, long[] fp) {
        for (int t = 0; t < THRESHOLDS.length; t++) {
            if (s >= THRESHOLDS[t]) {
                if (positive) {
                    tp[t]++;
                } else {
                    fp[t]++;
                }
            }
        }
    }

    static void table(long[] tp, long[] fp, long positives) {
        System.out.println("| threshold (cosine ≥) | precision | recall | false pairs |");
        System.out.println("|---:|---:|---:|---:|");
        for (int t = 0; t < THRESHOLDS.length; t++) {
            double precision = tp[t] + fp[t] == 0 ? 1 : tp[t] / (double) (tp[t] + fp[t]);
            System.out.printf(Locale.ROOT, "| %.2f | %.4f | %.4f | %d |%n", THRESHOLDS[t], precision, tp[t] / (double) positives, fp[t]);
        }
    }
}
