package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.errors.Refused;
import dev.viewfold.jobs.JobProgress;
import dev.viewfold.jobs.Jobs;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Long work over HTTP as jobs, in {@code serve}: {@code POST /train} and {@code POST /cluster} run as
 * a job and answer when it ends, and stop it when the client goes away; {@code POST /jobs/train}
 * and {@code POST /jobs/cluster} start one and answer at once (202) with its status;
 * {@code GET /jobs} lists them, {@code GET /jobs/<id>} reads one, {@code DELETE /jobs/<id>} stops
 * it. Every job stops at its time limit ({@code viewfold.jobs.time-limit}). The work is the
 * functions' own ({@link TrainFunction}, {@link ClusterFunction}), with the job's progress; on AWS
 * the functions answer alone, within API Gateway's limit.
 */
@ApplicationScoped
public class JobRoutes {

    @Inject
    Jobs jobs;

    @Inject
    Instance<TrainFunction> train;

    @Inject
    Instance<ClusterFunction> cluster;

    @Inject
    ViewfoldConfig config;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        for (String path : new String[] {"/train", "/cluster", "/jobs/train", "/jobs/cluster"}) {
            router.post(path).order(-90).handler(BodyHandler.create().setBodyLimit(1 << 20));
        }
        router.post("/train").order(-89).blockingHandler(ctx -> waitFor(ctx, start(ctx, "train")), false);
        router.post("/cluster").order(-89).blockingHandler(ctx -> waitFor(ctx, start(ctx, "cluster")), false);
        router.post("/jobs/train").order(-89).handler(ctx -> respond(ctx, 202, start(ctx, "train").status()));
        router.post("/jobs/cluster").order(-89).handler(ctx -> respond(ctx, 202, start(ctx, "cluster").status()));
        router.get("/jobs").order(-89).handler(ctx -> respond(ctx, 200, Map.of("jobs", jobs.list())));
        router.get("/jobs/:id").order(-89).handler(ctx -> respond(ctx, 200, job(ctx).status()));
        router.delete("/jobs/:id").order(-89).handler(ctx -> {
            Jobs.Job job = job(ctx);
            job.cancel("cancelled by a request");
            respond(ctx, 202, job.status());
        });
    }

    private Jobs.Job job(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        return jobs.get(id).orElseThrow(() -> Refused.notFound("no job with id '" + Refused.echo(id) + "'"));
    }

    private Jobs.Job start(RoutingContext ctx, String kind) {
        JsonNode body = body(ctx);
        return jobs.start(kind, config.jobs().timeLimit(), progress -> kind.equals("train")
                ? train.get().train(body, progress) : cluster.get().cluster(body, progress));
    }

    private JsonNode body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw Refused.invalid("malformed JSON: the request body could not be read as this function's input");
        }
    }

    /** Answers when the job ends; a client that goes away first stops it. */
    private void waitFor(RoutingContext ctx, Jobs.Job job) {
        ctx.response().closeHandler(closed -> job.cancel("the client went away before it finished"));
        try {
            respond(ctx, 200, job.done().get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JobProgress.Cancelled cancelled) {
                throw new Refused(Refused.Kind.UNAVAILABLE, "job " + job.id() + " " + cancelled.getMessage());
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel("the server is stopping");
            throw new Refused(Refused.Kind.UNAVAILABLE, "the server is stopping");
        }
    }

    private void respond(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
