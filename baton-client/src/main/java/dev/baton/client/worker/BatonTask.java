package dev.baton.client.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a Spring bean a task that Baton's scheduler can run on this application, at
 * {@code POST {baton.worker.path}/{name}}. The method may take the payload (the job's JSON body,
 * bound to any type) and a {@link TaskContext}, in either order; it returns the result, or a
 * {@link java.util.concurrent.CompletionStage} to report completion later. See {@code docs/worker-sdk.md}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BatonTask {

    /** The task's name: letters, digits, {@code .}, {@code _} and {@code -}; unique in the application. */
    String value();
}
