package dev.baton.gateway.console;

import java.util.ArrayList;
import java.util.List;

/** The lines two texts share and those only one has, in order: a longest common subsequence of lines. */
final class LineDiff {

    /** A line of a diff: in both texts, only in the older one, or only in the newer one. */
    record Line(Change change, String text) {}

    enum Change {
        SAME,
        REMOVED,
        ADDED
    }

    private LineDiff() {}

    static List<Line> between(String older, String newer) {
        String[] a = lines(older);
        String[] b = lines(newer);
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] =
                        a[i].equals(b[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> diff = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i].equals(b[j])) {
                diff.add(new Line(Change.SAME, a[i++]));
                j++;
            } else if (common[i + 1][j] >= common[i][j + 1]) {
                diff.add(new Line(Change.REMOVED, a[i++]));
            } else {
                diff.add(new Line(Change.ADDED, b[j++]));
            }
        }
        while (i < a.length) {
            diff.add(new Line(Change.REMOVED, a[i++]));
        }
        while (j < b.length) {
            diff.add(new Line(Change.ADDED, b[j++]));
        }
        return diff;
    }

    private static String[] lines(String text) {
        return text == null || text.isEmpty() ? new String[0] : text.split("\r?\n", -1);
    }
}
