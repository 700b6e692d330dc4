package dev.viewfold.functions;

import dev.viewfold.jobs.EncodeActivity;
import dev.viewfold.jobs.Jobs;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.List;

/** {@code status}: what the server is doing now ({@code GET /status}): encoding, and the jobs running. */
@RegisterForReflection(targets = {StatusFunction.Status.class, EncodeActivity.Snapshot.class, Jobs.Status.class})
public class StatusFunction {

    public record Status(EncodeActivity.Snapshot encoding, List<Jobs.Status> running) {
    }

    @Inject
    EncodeActivity encoding;

    @Inject
    Jobs jobs;

    @Funq("status")
    public Status status() {
        return new Status(encoding.snapshot(), jobs.list().stream().filter(j -> j.state().equals("running")).toList());
    }
}
