package dev.viewfold.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labels as small integers (in sorted name order) and each item's labels as a bitset, so that "do
 * these two items share a label" is a few word ANDs in the hot loops.
 */
public final class LabelBits {

    public final List<String> names;
    private final Map<String, Integer> ids;
    public final int words;

    LabelBits(Collection<String> labels) {
        TreeMap<String, Integer> sorted = new TreeMap<>();
        for (String l : labels) {
            sorted.put(l, 0);
        }
        this.names = List.copyOf(sorted.keySet());
        int i = 0;
        for (Map.Entry<String, Integer> e : sorted.entrySet()) {
            e.setValue(i++);
        }
        this.ids = sorted;
        this.words = Math.max(1, (names.size() + 63) >>> 6);
    }

    /** Every label of the items. */
    public static LabelBits of(List<Labelled> items) {
        List<String> all = new ArrayList<>();
        for (Labelled it : items) {
            all.addAll(it.labels());
        }
        return new LabelBits(all);
    }

    public int id(String label) {
        Integer id = ids.get(label);
        return id == null ? -1 : id;
    }

    /** The bits of the labels in this index; labels it does not know are left out. */
    public long[] bits(Collection<String> labels) {
        long[] b = new long[words];
        for (String l : labels) {
            int id = id(l);
            if (id >= 0) {
                b[id >>> 6] |= 1L << (id & 63);
            }
        }
        return b;
    }

    public static boolean shares(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & b[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    public static boolean has(long[] a, int id) {
        return (a[id >>> 6] & (1L << (id & 63))) != 0;
    }
}
