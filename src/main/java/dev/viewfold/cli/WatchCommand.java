package dev.viewfold.cli;

import dev.viewfold.events.FolderWatcher;
import dev.viewfold.store.local.LocalObjectStore;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code watch <dir>}: ingests a folder, then encodes images as they appear in it and forgets deleted ones. */
@Dependent
class WatchCommand implements Command {

    static final String SYNOPSIS = "watch <dir>";
    static final String DOES = "ingest <dir>, then encode images as they appear in it (and drop the rows of deleted ones)";

    @Inject
    IngestCommand ingest;

    @Inject
    EncoderLoader loader;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("watch", args, Set.of(), Set.of());
        IngestCommand.Options options = new IngestCommand.Options(Args.folder(a.positional(1, "one folder").get(0)), null);
        ingest.ingest(options, out, err);
        LocalObjectStore store = new LocalObjectStore(options.dir());
        err.printf("watching %s for new images (Ctrl-C to stop)%n", store.root());
        try (FolderWatcher watcher = new FolderWatcher(store, loader.encoder(), 500)) {
            watcher.run(outcomes -> outcomes.forEach(o -> out.printf("%s %s%s%n",
                    o.kind().name().toLowerCase(Locale.ROOT), o.imageId(), o.reason() == null ? "" : ": " + o.reason())));
        }
        return 0;
    }
}
