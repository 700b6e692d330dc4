package dev.viewfold.cli;

import dev.viewfold.encode.ModelSpecException;
import dev.viewfold.errors.Refused;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The main job: {@code ingest}, {@code watch}, {@code stats}, {@code check}, {@code serve}, {@code index},
 * {@code export}, {@code duplicates}, {@code cluster}, {@code train}, {@code classify} and
 * {@code worker}, one {@link Command} class each. Exit codes: 0 done (even when some images failed:
 * their rows say why), 1 the data cannot answer yet or something broke, 2 the command line or the
 * configuration is wrong.
 */
@QuarkusMain
public class ViewfoldMain implements QuarkusApplication {

    /** A command: its name, its class, how it is called and what it does. */
    private record Entry(String name, Class<? extends Command> type, String synopsis, String does) {
    }

    private static final List<Entry> COMMANDS = List.of(
            new Entry("ingest", IngestCommand.class, IngestCommand.SYNOPSIS, IngestCommand.DOES),
            new Entry("watch", WatchCommand.class, WatchCommand.SYNOPSIS, WatchCommand.DOES),
            new Entry("stats", StatsCommand.class, StatsCommand.SYNOPSIS, StatsCommand.DOES),
            new Entry("check", CheckCommand.class, CheckCommand.SYNOPSIS, CheckCommand.DOES),
            new Entry("serve", ServeCommand.class, ServeCommand.SYNOPSIS, ServeCommand.DOES),
            new Entry("index", IndexCommand.class, IndexCommand.SYNOPSIS, IndexCommand.DOES),
            new Entry("export", ExportCommand.class, ExportCommand.SYNOPSIS, ExportCommand.DOES),
            new Entry("duplicates", DuplicatesCommand.class, DuplicatesCommand.SYNOPSIS, DuplicatesCommand.DOES),
            new Entry("cluster", ClusterCommand.class, ClusterCommand.SYNOPSIS, ClusterCommand.DOES),
            new Entry("train", TrainCommand.class, TrainCommand.SYNOPSIS, TrainCommand.DOES),
            new Entry("classify", ClassifyCommand.class, ClassifyCommand.SYNOPSIS, ClassifyCommand.DOES),
            new Entry("worker", WorkerCommand.class, WorkerCommand.SYNOPSIS, WorkerCommand.DOES));

    static final String USAGE = usage();

    private static String usage() {
        StringBuilder b = new StringBuilder("usage: java -jar target/quarkus-app/quarkus-run.jar <command>\n");
        for (Entry e : COMMANDS) {
            for (String line : e.synopsis().split("\n")) {
                b.append("  ").append(line).append('\n');
            }
            b.append(wrap(e.does(), "      ", 100));
        }
        return b.append("configuration: VIEWFOLD_DATA (data folder), VIEWFOLD_MODEL (.onnx file), VIEWFOLD_STORE"
                + " (local|aws); see README.md for the rest").toString();
    }

    private static String wrap(String text, String indent, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && line.length() > indent.length()) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            line.append(line.length() > indent.length() ? " " : "").append(word);
        }
        return out.append(line).append('\n').toString();
    }

    public static void main(String... args) {
        String command = args.length == 0 ? "help" : args[0];
        // Only serve answers HTTP; the other commands must not hold a port.
        if (!command.equals("serve")) {
            System.setProperty("quarkus.http.host-enabled", "false");
        }
        // The commands load the model themselves, to report a bad one in one clear line.
        System.setProperty("viewfold.encode.load-at-start", "false");
        // DJL must never reach for the network (model zoo, EC2 metadata probe).
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // A start that fails on the configuration exits 2 with its message; the rest as Quarkus would.
        var exit = io.quarkus.runtime.ApplicationLifecycleManager.getDefaultExitCodeHandler();
        Quarkus.run(ViewfoldMain.class, (code, failure) -> {
            Throwable wrong = failure == null ? null : misconfiguration(failure);
            if (wrong != null) {
                System.err.println("viewfold: " + wrong.getMessage());
            }
            exit.accept(wrong != null ? 2 : code, wrong != null ? null : failure);
        }, args);
    }

    /**
     * What in a failure says the configuration is wrong (a value of the wrong kind, a bad model): the
     * user's to fix, exit 2. Null for anything else.
     */
    static Throwable misconfiguration(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ModelSpecException || t instanceof io.smallrye.config.ConfigValidationException) {
                return t;
            }
            if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).startsWith("SRCFG")) {
                return t;
            }
        }
        return null;
    }

    @Inject
    @Any
    Instance<Command> commands;

    @Override
    public int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
        try {
            if (List.of("help", "--help", "-h").contains(command)) {
                out.println(USAGE);
                return 0;
            }
            Entry entry = COMMANDS.stream().filter(e -> e.name().equals(command)).findFirst()
                    .orElseThrow(() -> new UsageException("unknown command '" + Refused.echo(command) + "'"));
            return commands.select(entry.type()).get().run(rest, out, err);
        } catch (UsageException e) {
            err.println("viewfold: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Refused e) {
            err.println(command + ": " + e.getMessage());
            // The data cannot answer yet (no labels, a run in progress): 1; what was asked is wrong: 2.
            return e.kind() == Refused.Kind.CONFLICT || e.kind() == Refused.Kind.UNAVAILABLE ? 1 : 2;
        } catch (IOException | RuntimeException e) {
            Throwable wrong = misconfiguration(e); // a bad model, also when met while a bean is made
            err.println("viewfold: " + (wrong != null ? wrong.getMessage() : e));
            return wrong != null ? 2 : 1;
        }
    }
}
