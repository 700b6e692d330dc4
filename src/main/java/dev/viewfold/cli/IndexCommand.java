package dev.viewfold.cli;

import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.memory.MemoryBackend;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code index}: builds the model space's search indexes and writes their snapshots for fast cold starts. */
@Dependent
class IndexCommand implements Command {

    static final String SYNOPSIS = "index";
    static final String DOES = "build the search indexes and write their snapshots (fast cold starts)";

    @Inject
    EncoderLoader loader;

    @Inject
    SearchServices services;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args.parse("index", args, Set.of(), Set.of()).positional(0, "no arguments");
        loader.encoder();
        long started = System.nanoTime();
        SearchBackend backend = services.model().backend();
        if (!(backend instanceof MemoryBackend memory)) {
            throw new UsageException("index writes the snapshots of the in-process index; this deployment's search"
                    + " backend keeps its own");
        }
        err.printf("index: building the search indexes of space %s ...%n", backend.space());
        for (String written : memory.writeSnapshots()) {
            out.println("index: wrote " + written);
        }
        out.printf(Locale.ROOT, "index: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
