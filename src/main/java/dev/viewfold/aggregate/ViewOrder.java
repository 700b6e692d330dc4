package dev.viewfold.aggregate;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * The order of an observation's views: numerically by view id when both ids are numbers
 * ({@code 5} before {@code 45}, as angles and frame numbers expect); otherwise by when they were
 * taken, then by view id; then by image id. Every strategy sees views in this order, so a fold
 * does not depend on how rows were read, and {@code sequence} reads a time series in time order.
 */
final class ViewOrder {

    static final Comparator<View> ORDER = (a, b) -> {
        int c = bothNumeric(a, b) || a.takenAt() == null || b.takenAt() == null ? 0 : a.takenAt().compareTo(b.takenAt());
        if (c == 0) {
            c = compareIds(a.viewId(), b.viewId());
        }
        return c != 0 ? c : a.imageId().compareTo(b.imageId());
    };

    private static boolean bothNumeric(View a, View b) {
        return a.viewId() != null && b.viewId() != null && number(a.viewId()) != null && number(b.viewId()) != null;
    }

    private ViewOrder() {
    }

    static int compareIds(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
