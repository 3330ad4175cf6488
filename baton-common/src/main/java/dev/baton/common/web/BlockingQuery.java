package dev.baton.common.web;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ?index=N&wait=30s} of a blocking query: answer at once when the resource's index
 * is past {@code index}, else hold the request until it changes or {@code wait} passes.
 *
 * @param index the index the caller has seen, or null to answer at once
 * @param maxWait how long to hold the request at most
 */
public record BlockingQuery(Long index, Duration maxWait) {

    /** The longest a request is held. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(5);

    /** How long a request is held when {@code wait} is not given. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

    /** The response header that carries the resource's current index. */
    public static final String INDEX_HEADER = "X-Baton-Index";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    /**
     * Reads the query parameters.
     *
     * @throws InvalidRequestException when {@code index} is negative or {@code wait} is not a
     *     duration such as {@code 1500ms}, {@code 30s} or {@code 5m} of at most five minutes
     */
    public static BlockingQuery of(Long index, String wait) {
        if (index != null && index < 0) {
            throw new InvalidRequestException("index", "must not be negative");
        }
        return new BlockingQuery(index, wait == null ? DEFAULT_WAIT : parseWait(wait));
    }

    /** Whether the caller asked to wait for a change past its index. */
    public boolean blocks() {
        return index != null && !maxWait.isZero();
    }

    static Duration parseWait(String wait) {
        Matcher matcher = DURATION.matcher(wait.trim());
        if (!matcher.matches()) {
            throw new InvalidRequestException("wait", "must be a duration such as 1500ms, 30s or 5m");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        Duration duration = switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
        if (duration.compareTo(MAX_WAIT) > 0) {
            throw new InvalidRequestException("wait", "must be at most 5m");
        }
        return duration;
    }
}
