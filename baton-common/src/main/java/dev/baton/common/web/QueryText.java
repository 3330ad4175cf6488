package dev.baton.common.web;

import dev.baton.common.problem.Problems;
import dev.baton.common.text.StorableText;
import java.util.List;
import org.springframework.http.ProblemDetail;

/** What both web stacks answer a query that is not storable UTF-8 text: a validation problem naming the parameter. */
public final class QueryText {

    private QueryText() {}

    /** The problem for a raw query's first flawed parameter, or null when it has none. */
    public static ProblemDetail problem(String rawQuery) {
        StorableText.Flaw flaw = StorableText.queryFlaw(rawQuery);
        return flaw == null
                ? null
                : Problems.validation(
                        "The request is invalid.", List.of(new Problems.FieldError(flaw.at(), flaw.reason())));
    }
}
