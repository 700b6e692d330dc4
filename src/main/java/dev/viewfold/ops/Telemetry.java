package dev.viewfold.ops;

import dev.viewfold.encode.EncodeOutcome;

import java.util.List;

/**
 * What the server counts for operators, as events; {@link PrometheusTelemetry} turns them into
 * {@code viewfold_*} metrics under {@code serve}, and builds without metrics (the event Lambdas) use
 * {@link #NONE}. The code that does the work knows nothing of the metrics library.
 */
public interface Telemetry {

    Telemetry NONE = new Telemetry() {
        @Override
        public void encoded(List<EncodeOutcome> outcomes) {
        }

        @Override
        public void clusterRun(String outcome, double seconds) {
        }
    };

    /** One batch of images encoded (or failed, unchanged, removed). */
    void encoded(List<EncodeOutcome> outcomes);

    /** A cluster run ended: {@code ok}, {@code failed} or {@code cancelled}, after this long. */
    void clusterRun(String outcome, double seconds);
}
