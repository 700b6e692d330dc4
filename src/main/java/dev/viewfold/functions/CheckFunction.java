package dev.viewfold.functions;

import dev.viewfold.check.CheckRun;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code check}: finds what a crash, a full disk or a dead-lettered event left half derived (a fold
 * missing views, a head's space missing rows) and makes it whole ({@code POST /check}, no input).
 */
@RegisterForReflection(targets = {CheckRun.Report.class, CheckRun.SpaceReport.class})
public class CheckFunction {

    private static final Logger LOG = Logger.getLogger(CheckFunction.class);

    @Inject
    CheckRun check;

    @Funq("check")
    public CheckRun.Report check() {
        CheckRun.Report r = check.run();
        LOG.infof("check: %d folds made again, %d head rows projected again, in %.1f s", r.refolded(),
                r.reprojected(), r.seconds());
        return r;
    }
}
