package dev.viewfold.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.classify.ClassifierKind;
import dev.viewfold.classify.ClassifyService;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.errors.Choice;
import dev.viewfold.search.SearchQuery;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code classify <image>... [--method auto|linear|prototype|knn] [--space s]}: places image files among the labelled groups. */
@Dependent
class ClassifyCommand implements Command {

    static final String SYNOPSIS = "classify <image>... [--method auto|linear|prototype|knn] [--space s]";
    static final String DOES = "place image files (several: one observation) into the labelled groups";

    /** @param method null: the configured classifier; @param space null: the model's */
    record Options(List<Path> images, ClassifierKind method, String space) {
        static Options parse(List<String> args) {
            Args a = Args.parse("classify", args, Set.of("--method", "--space"), Set.of());
            if (a.positional().isEmpty()) {
                throw new UsageException("classify needs at least one image file");
            }
            List<Path> images = new ArrayList<>();
            for (String f : a.positional()) {
                images.add(Args.file(f, "image file"));
            }
            String method = a.option("--method");
            return new Options(images, method == null ? null : Choice.of(ClassifierKind.class, "method", method),
                    a.option("--space"));
        }
    }

    @Inject
    ViewfoldConfig config;

    @Inject
    EncoderLoader loader;

    @Inject
    ClassifyService classify;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(args);
        if (o.images().size() > config.search().maxImages()) {
            throw new UsageException("classify takes at most " + config.search().maxImages()
                    + " images of one observation (viewfold.search.max-images)");
        }
        List<byte[]> images = new ArrayList<>();
        for (Path p : o.images()) {
            images.add(Files.readAllBytes(p));
        }
        loader.encoder();
        ClassifyService.Answer answer = classify.classify(o.space(), new SearchQuery.Images(images), null,
                o.method() == null ? config.groups().classifier() : o.method(), 5);
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        return 0;
    }
}
