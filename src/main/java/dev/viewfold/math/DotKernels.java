package dev.viewfold.math;

import org.jboss.logging.Logger;

/**
 * Picks the fastest {@link DotKernel} this JVM offers: the Vector API when the incubator module is
 * there (start the JVM with {@code --add-modules jdk.incubator.vector}), plain Java otherwise and in
 * a native image, where the Vector API is not compiled to SIMD.
 */
public final class DotKernels {

    private static final Logger LOG = Logger.getLogger(DotKernels.class);
    private static final DotKernel BEST = pick();

    private DotKernels() {
    }

    public static DotKernel best() {
        return BEST;
    }

    private static DotKernel pick() {
        boolean nativeImage = System.getProperty("org.graalvm.nativeimage.imagecode") != null;
        boolean incubator = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!nativeImage && incubator && !Boolean.getBoolean("viewfold.scalar")) {
            try {
                // Loaded by name so that a JVM without the module never resolves the class.
                DotKernel simd = (DotKernel) Class.forName("dev.viewfold.math.SimdDot").getDeclaredConstructor().newInstance();
                LOG.debugf("inner products: %s", simd.name());
                return simd;
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.debugf("Vector API unusable (%s): scalar inner products", e);
            }
        }
        return new ScalarDot();
    }
}
