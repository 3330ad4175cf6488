package dev.baton.spring.boot.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The {@link BatonLocked} methods, each read once: its name expression parsed and its durations
 * checked when proxies are made, so that a wrong attribute stops the application at start-up.
 * Thread-safe.
 */
final class LockedMethods {

    /** One method's lock, as its annotation declares it. */
    record LockedMethod(Method method, Expression name, Duration ttl, Duration waitFor, BatonLocked.OnLost onLost) {}

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final Map<Method, Optional<LockedMethod>> methods = new ConcurrentHashMap<>();

    /** The lock of {@code method} as called on {@code targetClass}, if it is a locked method. */
    Optional<LockedMethod> find(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        return methods.computeIfAbsent(specific, LockedMethods::read);
    }

    /** The lock's name for one call. */
    String name(LockedMethod locked, Object[] arguments) {
        MethodBasedEvaluationContext context =
                new MethodBasedEvaluationContext(null, locked.method(), arguments, parameterNames);
        Object name = locked.name().getValue(context);
        if (name == null || name.toString().isBlank()) {
            throw new IllegalArgumentException("@BatonLocked name '"
                    + locked.name().getExpressionString() + "' of " + locked.method() + " is empty for this call");
        }
        return name.toString();
    }

    private static Optional<LockedMethod> read(Method method) {
        BatonLocked annotation = AnnotatedElementUtils.findMergedAnnotation(method, BatonLocked.class);
        if (annotation == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockedMethod(
                    method,
                    PARSER.parseExpression(annotation.name()),
                    duration(annotation.ttl(), "ttl", method),
                    duration(annotation.waitFor(), "waitFor", method),
                    annotation.onLost()));
        } catch (ParseException e) {
            throw new IllegalStateException(
                    "@BatonLocked name '" + annotation.name() + "' of " + method + " is not a SpEL expression", e);
        }
    }

    private static Duration duration(String value, String attribute, Method method) {
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "@BatonLocked " + attribute + " '" + value + "' of " + method + " is not a duration", e);
        }
        if (duration.isNegative() || (attribute.equals("ttl") && duration.isZero())) {
            throw new IllegalStateException("@BatonLocked " + attribute + " '" + value + "' of " + method + " must be "
                    + (attribute.equals("ttl") ? "positive" : "zero or more"));
        }
        return duration;
    }
}
