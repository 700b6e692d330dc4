package dev.viewfold.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelledTest {

    @Test
    void validates() {
        assertThrows(NullPointerException.class, () -> new Labelled(null, new float[1], Set.of("a")));
        assertThrows(NullPointerException.class, () -> new Labelled("x", null, Set.of("a")));
        assertThrows(NullPointerException.class, () -> new Labelled("x", new float[1], null));
        assertEquals("item x: needs at least one label",
                assertThrows(IllegalArgumentException.class, () -> new Labelled("x", new float[1], Set.of())).getMessage());
        assertEquals("item x: the vector is empty",
                assertThrows(IllegalArgumentException.class, () -> new Labelled("x", new float[0], Set.of("a"))).getMessage());
        assertEquals("item x: a label is null or blank",
                assertThrows(IllegalArgumentException.class, () -> new Labelled("x", new float[1], Set.of(" "))).getMessage());
    }

    @Test
    void labelsAreSortedAndUnmodifiable() {
        Set<String> labels = new HashSet<>(List.of("zebra", "apple", "mango"));
        Labelled it = new Labelled("x", new float[1], labels);
        assertEquals(List.of("apple", "mango", "zebra"), List.copyOf(it.labels()));
        labels.add("kiwi");
        assertEquals(3, it.labels().size());
        assertThrows(UnsupportedOperationException.class, () -> it.labels().add("kiwi"));
    }

    @Test
    void positivePairsShareALabel() {
        Labelled a = new Labelled("a", new float[1], Set.of("x", "y"));
        assertTrue(a.sharesLabelWith(Labelled.of("b", new float[1], "y")));
        assertFalse(a.sharesLabelWith(Labelled.of("c", new float[1], "z")));
    }
}
