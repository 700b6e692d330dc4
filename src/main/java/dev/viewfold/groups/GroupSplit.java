package dev.viewfold.groups;

import dev.viewfold.math.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Groups, not items, split into training and validation, so that validation measures what matters
 * for a head: how it places groups it has never seen.
 *
 * <p>Validation groups are drawn (seeded) among groups with at least two items, since a group of one
 * asks no retrieval question; {@code round(fraction × groups)} of them, at least one, and never so
 * many that fewer than two such groups are left to train on. An item trains only when all its
 * labels are training groups. An item carrying any validation label is a validation item, judged on
 * its validation labels only; so an item in both a training and a validation group is never trained
 * on, and the validation groups stay unseen.
 */
final class GroupSplit {

    static final long STREAM = 0x5B117L;

    final List<String> trainGroups;
    final List<String> validationGroups;
    final List<Labelled> train;
    final List<Labelled> validation;

    private GroupSplit(List<String> trainGroups, List<String> validationGroups, List<Labelled> train,
            List<Labelled> validation) {
        this.trainGroups = trainGroups;
        this.validationGroups = validationGroups;
        this.train = train;
        this.validation = validation;
    }

    static GroupSplit of(List<Labelled> data, double fraction, long seed) {
        Map<String, Integer> sizes = sizes(data);
        List<String> eligible = new ArrayList<>();
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            if (e.getValue() >= 2) {
                eligible.add(e.getKey());
            }
        }
        if (eligible.size() < 3) {
            throw new IllegalArgumentException("training a head needs at least 3 groups with 2 or more items each "
                    + "(2 to train on, 1 held out to validate on); the data has " + sizes.size() + " groups, "
                    + eligible.size() + " of them with 2 or more items");
        }
        int count = (int) Math.round(fraction * sizes.size());
        count = Math.max(1, Math.min(count, eligible.size() - 2));
        int[] order = new int[eligible.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Rng.of(seed, STREAM).shuffle(order);
        Set<String> held = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            held.add(eligible.get(order[i]));
        }
        List<String> trainGroups = new ArrayList<>();
        for (String g : sizes.keySet()) {
            if (!held.contains(g)) {
                trainGroups.add(g);
            }
        }
        List<Labelled> train = new ArrayList<>();
        List<Labelled> validation = new ArrayList<>();
        for (Labelled it : data) {
            Set<String> mine = new TreeSet<>();
            for (String l : it.labels()) {
                if (held.contains(l)) {
                    mine.add(l);
                }
            }
            if (mine.isEmpty()) {
                train.add(it);
            } else {
                validation.add(mine.size() == it.labels().size() ? it : new Labelled(it.id(), it.vector(), mine));
            }
        }
        GroupSplit split = new GroupSplit(List.copyOf(trainGroups), List.copyOf(held), List.copyOf(train),
                List.copyOf(validation));
        split.check();
        return split;
    }

    private void check() {
        Map<String, Integer> trainSizes = sizes(train);
        long trainable = trainSizes.values().stream().filter(n -> n >= 2).count();
        if (trainable < 2) {
            throw new IllegalArgumentException("training needs at least 2 groups with 2 or more items each; among "
                    + trainGroups.size() + " training groups " + trainable + " have that (items that also carry a "
                    + "validation group are not trained on)");
        }
        Map<String, Integer> validationSizes = sizes(validation);
        if (validationSizes.values().stream().noneMatch(n -> n >= 2)) {
            throw new IllegalArgumentException("no validation group has 2 or more items, so validation asks no "
                    + "retrieval question; validation groups: " + validationGroups);
        }
    }

    private static Map<String, Integer> sizes(List<Labelled> items) {
        Map<String, Integer> sizes = new TreeMap<>();
        for (Labelled it : items) {
            for (String l : it.labels()) {
                sizes.merge(l, 1, Integer::sum);
            }
        }
        return sizes;
    }
}
