package dev.viewfold.groups;

/**
 * Names the space a projection head makes of a base space: {@code <base>+head@<digest>}. The digest
 * covers the head's weights, so a retrained head is a new space and its vectors are never compared
 * with another head's or the base model's.
 */
public final class HeadSpaces {

    static final String MARK = "+head@";

    private HeadSpaces() {
    }

    public static String of(String baseSpace, ProjectionHead head) {
        return baseSpace + MARK + head.digest();
    }

    public static boolean isHead(String space) {
        return space.contains(MARK);
    }

    /** The space the head was trained on ({@code space} itself when it is a base space). */
    public static String base(String space) {
        int at = space.indexOf(MARK);
        return at < 0 ? space : space.substring(0, at);
    }

    /** The head's digest, or null for a base space. */
    public static String digest(String space) {
        int at = space.indexOf(MARK);
        return at < 0 ? null : space.substring(at + MARK.length());
    }
}
