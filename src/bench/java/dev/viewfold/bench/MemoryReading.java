package dev.viewfold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One look at a running JVM's memory: its resident set from {@code /proc}, then what a full GC leaves
 * of the heap (a leak grows this; garbage not yet collected does not), the heap the JVM has committed,
 * and, where the process runs with {@code -XX:NativeMemoryTracking=summary}, what the JVM itself
 * committed outside the heap. RSS less the JVM's committed total is memory native libraries
 * (ONNX Runtime, SQLite) allocated on their own.
 */
record MemoryReading(String when, long rssMib, long liveHeapMib, long heapCommittedMib, long jvmCommittedMib) {

    static final String HEADER = "| when | RSS | live heap | heap committed | JVM committed (NMT) | RSS less JVM |\n"
            + "|---|---:|---:|---:|---:|---:|";

    /**
     * Reads RSS first (what the process holds under load), then the rest. With {@code histogram} it
     * forces a full GC to measure the live heap (and keeps the histogram there); without, it leaves
     * the collector alone, so that the next readings show the heap as the JVM sizes it on its own.
     */
    static MemoryReading of(long pid, String when, Path histogram) {
        long rss = rssMib(pid);
        long live = -1;
        if (histogram != null) {
            // GC.class_histogram runs a full GC first, so its total is the live heap.
            String classes = jcmd(pid, "GC.class_histogram");
            try {
                Files.writeString(histogram, classes);
            } catch (IOException e) {
                // the histogram is a diagnosis aid; the reading stands without it
            }
            live = lastMatch(classes, "Total\\s+\\d+\\s+(\\d+)") / (1024 * 1024);
        }
        String heap = jcmd(pid, "GC.heap_info");
        long committed = lastMatch(heap, "total (?:reserved \\d+K, committed )?(\\d+)K") / 1024;
        String nmt = jcmd(pid, "VM.native_memory", "summary");
        long jvm = lastMatch(nmt, "Total: reserved=\\d+KB, committed=(\\d+)KB") / 1024;
        return new MemoryReading(when, rss, live, committed, jvm);
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %s |", when, rssMib,
                liveHeapMib < 0 ? "–" : Long.toString(liveHeapMib), heapCommittedMib,
                jvmCommittedMib < 0 ? "–" : Long.toString(jvmCommittedMib),
                jvmCommittedMib < 0 ? "–" : Long.toString(rssMib - jvmCommittedMib));
    }

    static long rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException gone) {
            return -1;
        }
        return -1;
    }

    private static long lastMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last < 0 ? -1 : last;
    }

    private static String jcmd(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            List<String> args = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
            args.addAll(List.of(command));
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return new String(out);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
