package dev.baton.spring.boot.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method under an exclusive Baton lease, taken before it starts, renewed automatically
 * while it runs and released when it returns or throws. The method reads the lease, and its
 * fencing token, from {@link BatonLocks#currentLease()}.
 *
 * <pre>{@code
 * @BatonLocked(name = "'orders/' + #order.id", ttl = "30s", waitFor = "5s", onLost = OnLost.INTERRUPT)
 * void ship(Order order) {
 *     long token = BatonLocks.currentLease().token();
 * }
 * }</pre>
 *
 * <p>A lease that is lost while the method runs (it expired, or was force-released) never passes
 * unnoticed: the call ends in {@link LeaseLostException} once the method is done, and with
 * {@link OnLost#INTERRUPT} the method's thread is interrupted at the loss as well. A lease that
 * is not granted within {@link #waitFor()} throws {@code LockNotGrantedException} and the method
 * does not run.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BatonLocked {

    /**
     * The lock's name, a SpEL expression over the method's arguments ({@code #order}, or
     * {@code #p0} without parameter names); a fixed name is a string literal: {@code "'reports'"}.
     */
    String name();

    /** How long the lease outlives this process if it stops renewing, such as {@code 30s}. */
    String ttl() default "30s";

    /** How long to wait for the grant, such as {@code 5s}; {@code 0s} tries once. */
    String waitFor() default "0s";

    /** What a lost lease does to the method while it runs. */
    OnLost onLost() default OnLost.FAIL;

    /** What a lease lost while its method runs does, besides ending the call in {@link LeaseLostException}. */
    enum OnLost {
        /** Interrupts the method's thread at the loss, so that a blocking call or a check of the flag stops it. */
        INTERRUPT,
        /** Lets the method run to its end, then throws. */
        FAIL
    }
}
