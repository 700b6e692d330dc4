package dev.viewfold.groups;

/**
 * The shape of a {@link ProjectionHead}. Its output is always L2-normalised.
 *
 * <ul>
 *   <li>{@link #LINEAR}: {@code W·x + b}.</li>
 *   <li>{@link #MLP}: {@code Linear(in→hidden) → ReLU → Linear(hidden→out)}.</li>
 * </ul>
 */
public enum HeadKind {
    LINEAR(1),
    MLP(2);

    /** The code written in the binary format: fixed, unlike {@link #ordinal()}. */
    final int code;

    HeadKind(int code) {
        this.code = code;
    }

    static HeadKind ofCode(int code) {
        for (HeadKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown head kind code " + code + " (1 = LINEAR, 2 = MLP)");
    }
}
