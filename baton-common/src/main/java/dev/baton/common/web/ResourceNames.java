package dev.baton.common.web;

/**
 * {@link ResourceName}'s rule as one pass over the name, for the lease calls' paths, where the
 * pattern's look-ahead walked every segment again from each {@code /}. It accepts exactly the
 * names {@link ResourceName#PATTERN} matches.
 */
public final class ResourceNames {

    private static final int MAX_LENGTH = 200;

    private ResourceNames() {}

    /** Whether {@code name} is a name {@link ResourceName#PATTERN} matches. */
    public static boolean valid(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        int segmentStart = 0;
        int dots = 0;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c == '/') {
                if (dotSegment(i - segmentStart, dots)) {
                    return false;
                }
                segmentStart = i + 1;
                dots = 0;
            } else if (c == '.') {
                dots++;
            } else if (!(c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == ':'
                    || c == '-')) {
                return false;
            }
        }
        return !dotSegment(length - segmentStart, dots);
    }

    /** Whether a segment of this length, holding this many dots, is {@code .} or {@code ..}. */
    private static boolean dotSegment(int length, int dots) {
        return length > 0 && length <= 2 && dots == length;
    }
}
