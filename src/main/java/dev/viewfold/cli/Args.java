package dev.viewfold.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: positional values, {@code --name value} options and {@code --flag}s, each
 * checked against what the command takes. A value that looks like an option's name is a value
 * where a value is expected ({@code export observations --target images} writes to the folder
 * {@code observations}).
 */
final class Args {

    private final String command;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param valued the options that take a value ({@code --manifest})
     * @param flags  the options that stand alone ({@code --json})
     * @throws UsageException for an option the command does not take, or one without its value
     */
    static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (valued.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                if (a.options.put(arg, args.get(++i)) != null) {
                    throw new UsageException(arg + " is given twice");
                }
            } else if (flags.contains(arg)) {
                a.flags.add(arg);
            } else if (arg.startsWith("--")) {
                throw new UsageException("unknown option '" + arg + "' (" + command
                        + (valued.isEmpty() && flags.isEmpty() ? " takes none)" : " takes " + String.join(", ", known(valued, flags)) + ")"));
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    private static List<String> known(Set<String> valued, Set<String> flags) {
        List<String> all = new ArrayList<>(valued);
        all.addAll(flags);
        all.sort(null);
        return all;
    }

    List<String> positional() {
        return positional;
    }

    /** Exactly {@code n} positional values, or a usage error that says what was expected. */
    List<String> positional(int n, String what) {
        if (positional.size() != n) {
            throw new UsageException(command + " takes " + what + (positional.isEmpty() ? ""
                    : ", not " + String.join(" ", positional)));
        }
        return positional;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String option(String name) {
        return options.get(name);
    }

    Integer integer(String name) {
        String v = options.get(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, not '" + v + "'");
        }
    }

    Double decimal(String name) {
        String v = options.get(name);
        try {
            return v == null ? null : Double.valueOf(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a number, not '" + v + "'");
        }
    }

    /** An existing folder. */
    static Path folder(String value) {
        Path dir = Path.of(value);
        if (!Files.isDirectory(dir)) {
            throw new UsageException("no such folder: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** An existing file. */
    static Path file(String value, String what) {
        Path f = Path.of(value);
        if (!Files.isRegularFile(f)) {
            throw new UsageException("no such " + what + ": " + f.toAbsolutePath());
        }
        return f;
    }
}
