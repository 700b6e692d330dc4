package dev.viewfold.math;

/**
 * A small, fast, seedable generator (xorshift64* seeded through SplitMix64). Our own so that the
 * output for a seed never changes with the JDK (a UMAP layout and a trained head's bytes depend on
 * it), and cheap enough for the SGD inner loop.
 */
public final class Rng {

    private long state;

    public Rng(long seed) {
        this.state = mix(seed);
        if (state == 0) {
            state = 0x9E3779B97F4A7C15L;
        }
    }

    /** A generator for one numbered stream of a seed (one per chunk, tree, epoch, split ...). */
    public static Rng of(long seed, long stream) {
        return new Rng(mix(seed) ^ mix(stream * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
    }

    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    /** Uniform in [0, bound); bound &gt; 0. Multiply-shift: tiny bias, no division. */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Fisher–Yates over the whole array. */
    public void shuffle(int[] a) {
        shuffle(a, a.length);
    }

    /** Fisher–Yates over the first {@code n} entries. */
    public void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
