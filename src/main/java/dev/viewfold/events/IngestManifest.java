package dev.viewfold.events;

import dev.viewfold.errors.Refused;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.store.Labels;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ingest manifest: CSV with a header naming at least {@code path}, and optionally
 * {@code observation_id}, {@code view} and {@code label} (or {@code labels}: several separated by
 * {@code |}; an empty cell clears the image's labels). Other columns are ignored. Paths are relative
 * to the ingested folder. This is the {@code labels.csv} of the shared datasets.
 */
public final class IngestManifest {

    private IngestManifest() {
    }

    public static List<EncodeRequest> read(Path csv) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).get();
        try (Reader in = withoutByteOrderMark(Files.newBufferedReader(csv, StandardCharsets.UTF_8));
             CSVParser parser = CSVParser.parse(in, format)) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains("path")) {
                throw Refused.invalid("manifest " + csv + " has no 'path' column; its header is " + header);
            }
            String labelColumn = header.contains("labels") ? "labels" : header.contains("label") ? "label" : null;
            List<EncodeRequest> requests = new ArrayList<>();
            for (CSVRecord row : parser) {
                String path = cell(row, "path");
                if (path == null) {
                    throw Refused.invalid("manifest " + csv + " line " + parser.getCurrentLineNumber()
                            + " has no path");
                }
                java.util.Set<String> labels;
                try {
                    labels = labelColumn == null ? null : Labels.parse(cell(row, labelColumn));
                } catch (Refused e) {
                    throw Refused.invalid("manifest " + csv + " line " + parser.getCurrentLineNumber()
                            + ": " + e.getMessage(), e);
                }
                requests.add(new EncodeRequest(path.replace('\\', '/'), cell(row, "observation_id"), cell(row, "view"),
                        null, labels));
            }
            return requests;
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw Refused.invalid("manifest " + csv + " is not valid CSV: " + e.getMessage(), e);
        }
    }

    /** Spreadsheets save UTF-8 CSV with a byte-order mark, which would otherwise stick to the first column's name. */
    private static Reader withoutByteOrderMark(java.io.BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
        return in;
    }

    private static String cell(CSVRecord row, String column) {
        if (!row.isMapped(column) || !row.isSet(column)) {
            return null;
        }
        String v = row.get(column);
        return v == null || v.isBlank() ? null : v;
    }
}
