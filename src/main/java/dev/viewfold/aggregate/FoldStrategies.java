package dev.viewfold.aggregate;

import dev.viewfold.errors.Refused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The strategies a deployment offers, by name, and the one it uses unless a request says otherwise. */
public final class FoldStrategies {

    private final Map<String, FoldStrategy> byName = new LinkedHashMap<>();
    private final String defaultName;

    public FoldStrategies(List<FoldStrategy> strategies, String defaultName) {
        strategies.forEach(s -> byName.put(s.name(), s));
        this.defaultName = defaultName;
        get(defaultName); // fail at start-up, not at the first fold
    }

    public FoldStrategy get(String name) {
        FoldStrategy s = byName.get(name);
        if (s == null) {
            throw Refused.invalid("unknown aggregation strategy '" + name + "'; this deployment offers "
                    + String.join(", ", byName.keySet())
                    + (name.equals("sequence") ? " (sequence needs viewfold.aggregate.sequence-model)" : ""));
        }
        return s;
    }

    /** Whether this deployment offers a strategy of that name. */
    public boolean offers(String name) {
        return byName.containsKey(name);
    }

    public FoldStrategy defaultStrategy() {
        return get(defaultName);
    }
}
