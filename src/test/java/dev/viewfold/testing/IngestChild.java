package dev.viewfold.testing;

import dev.viewfold.check.CheckRun;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.events.BatchRunner;
import dev.viewfold.events.FolderScan;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.local.LocalObjectStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A process for tests to kill: ingests a folder into a data folder the way the {@code ingest}
 * command does (the repair pass first, then every image, folded in process), in small batches, and
 * prints {@code done} at the end. Arguments: the data folder, the photos folder.
 */
public final class IngestChild {

    private IngestChild() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path photos = Path.of(args[1]);
        try (LocalEncoding local = new LocalEncoding(Shared.mobilenet(), data)) {
            HeadStore heads = new HeadStore(new LocalObjectStore(data.resolve("bucket")),
                    new com.fasterxml.jackson.databind.ObjectMapper());
            Space model = Space.ofModel(local.encoder.space());
            new CheckRun(local.table, new Spaces(model, heads::spacesOf), heads, local.aggregator, Clock.systemUTC()).run();
            LocalObjectStore store = new LocalObjectStore(photos);
            List<EncodeRequest> requests = FolderScan.scan(store);
            System.out.println("started " + requests.size());
            System.out.flush();
            new BatchRunner(local.encoder, 4).run(store, requests, (summary, outcomes) -> { });
        }
        System.out.println("done");
    }
}
