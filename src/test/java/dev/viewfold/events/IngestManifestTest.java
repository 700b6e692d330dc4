package dev.viewfold.events;

import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestManifestTest {

    @TempDir
    Path dir;

    @Test
    void theSharedDatasetsManifestsRead() throws IOException {
        List<EncodeRequest> coil = IngestManifest.read(Shared.dataset("coil100/labels.csv"));
        assertEquals(7200, coil.size());
        assertEquals(new EncodeRequest("images/obj1__0.jpg", "obj001", "0", null, Set.of("obj001")), coil.get(0));
        List<EncodeRequest> caltech = IngestManifest.read(Shared.dataset("caltech101/labels.csv"));
        assertEquals(2020, caltech.size());
        assertEquals(null, caltech.get(0).observationId(), "no observation column: the key decides");
        assertEquals(Set.of("Faces"), caltech.get(0).labels());
    }

    @Test
    void labelsMaySeveralOrNoneAndABadOneNamesItsLine() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "path,labels\na.jpg,cat | pet\nb.jpg,\n");
        var rows = IngestManifest.read(csv);
        assertEquals(Set.of("cat", "pet"), rows.get(0).labels());
        assertEquals(Set.of(), rows.get(1).labels(), "an empty cell clears the image's labels");
        assertEquals(null, IngestManifest.read(Shared.dataset("coil100/labels.csv")).get(0).sequencer());
        Files.writeString(csv, "path,label\na.jpg,ok\nb.jpg,\"x\ty\"\n");
        var e = assertThrows(dev.viewfold.errors.Refused.class, () -> IngestManifest.read(csv));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("'x\ty'"), e.getMessage());
    }

    @Test
    void quotedCellsAndExtraColumnsAreFine() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "\uFEFFlabel,path,view,observation_id\n\"a, b\",\"photos/x, 1.jpg\",2,\"obs \"\"q\"\"\"\n\n");
        assertEquals(List.of(new EncodeRequest("photos/x, 1.jpg", "obs \"q\"", "2", null, Set.of("a, b"))),
                IngestManifest.read(csv), "a byte-order mark does not hide the first column's name");
    }

    @Test
    void aManifestWithoutPathsSaysSo() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "file,label\na.jpg,x\n");
        var e = assertThrows(dev.viewfold.errors.Refused.class, () -> IngestManifest.read(csv));
        assertTrue(e.getMessage().contains("no 'path' column"), e.getMessage());
    }
}
