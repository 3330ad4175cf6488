package dev.baton.system;

import java.util.ArrayList;
import java.util.List;

/** What a scenario did and checked, printed as it ends: operations, faults injected, violations found. */
final class Report {

    private final String scenario;
    private final long start = System.nanoTime();
    private final List<String> lines = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    Report(String scenario) {
        this.scenario = scenario;
        System.out.printf("[%s] started%n", scenario);
    }

    void did(String format, Object... args) {
        String line = String.format(format, args);
        lines.add(line);
        System.out.printf("[%s] %s%n", scenario, line);
    }

    /** Records a broken promise; the scenario fails at {@link #end()} if there is any. */
    void violation(String format, Object... args) {
        String line = String.format(format, args);
        violations.add(line);
        System.out.printf("[%s] VIOLATION: %s%n", scenario, line);
    }

    void check(boolean holds, String format, Object... args) {
        if (holds) {
            did("checked: " + format, args);
        } else {
            violation(format, args);
        }
    }

    /** Prints the summary and fails on any violation. */
    void end() {
        System.out.printf(
                "[%s] ended in %.1f s: %d step(s), %d violation(s)%n",
                scenario, (System.nanoTime() - start) / 1e9, lines.size(), violations.size());
        if (!violations.isEmpty()) {
            throw new AssertionError(scenario + ": " + violations.size() + " violation(s): " + violations);
        }
    }
}
