package dev.viewfold.search;

import dev.viewfold.errors.Refused;

import java.util.Locale;

/** What a search looks among: every image (each view), or every observation (one fold each). */
public enum Target {
    IMAGES, OBSERVATIONS;

    /** From a request or a command line: {@code images} or {@code observations} (singular too). */
    public static Target parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "images", "image" -> IMAGES;
            case "observations", "observation" -> OBSERVATIONS;
            default -> throw Refused.invalid("unknown target '" + Refused.echo(name) + "': use observations or images");
        };
    }

    /** As requests and answers write it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
