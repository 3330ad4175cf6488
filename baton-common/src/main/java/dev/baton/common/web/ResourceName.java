package dev.baton.common.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name in Baton's API (a lock, a service, a namespace, a key): 1 to 200 characters of
 * {@code [A-Za-z0-9._:/-]}, no {@code /}-separated segment of which is {@code .} or {@code ..}:
 * clients and proxies resolve such segments in a URL (RFC 3986, 5.2.4), so a name holding one
 * could not be addressed as itself. A {@code /} travels percent-encoded in a path.
 */
@Documented
@NotNull
@Pattern(regexp = ResourceName.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ResourceName {

    /** What a name, or any path-like text in a URL, starts with: no segment of it is {@code .} or {@code ..}. */
    String NO_DOT_SEGMENTS = "(?!(?:[^/]*/)*\\.{1,2}(?:/|$))";

    /** What a name matches. */
    String PATTERN = NO_DOT_SEGMENTS + "[A-Za-z0-9._:/-]{1,200}";

    /** What a name that does not is told. */
    String MESSAGE = "must be 1 to 200 characters of A-Z, a-z, 0-9, '.', '_', ':', '/' and '-', with no "
            + "'/'-separated segment '.' or '..'";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
