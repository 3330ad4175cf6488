package dev.baton.spring.boot.lock;

import dev.baton.client.lock.LockLease;
import dev.baton.client.lock.Locks;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies {@link BatonLocked} to the methods of Spring beans that carry it.
 *
 * <p>Each call takes its own lease on the calling thread and holds it until the method has
 * returned or thrown. A loss is recorded by the lease's listener, on the client's renewal thread;
 * the interrupt of {@link BatonLocked.OnLost#INTERRUPT} is delivered only while the method still
 * runs, under a monitor that the end of the call also takes, so that no thread is interrupted
 * after its method is done. The interrupt this advisor sets is cleared before the call ends in
 * {@link LeaseLostException}.
 */
public final class BatonLockedAdvisor extends AbstractPointcutAdvisor {

    private final LockedMethods methods = new LockedMethods();
    private final Supplier<Locks> locks;

    /** @param locks the client's locks, looked up at the first call */
    public BatonLockedAdvisor(Supplier<Locks> locks) {
        this.locks = locks;
    }

    @Override
    public Pointcut getPointcut() {
        return new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return methods.find(method, targetClass).isPresent();
            }
        };
    }

    @Override
    public Advice getAdvice() {
        return (MethodInterceptor) this::invoke;
    }

    private Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() == null
                ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        LockedMethods.LockedMethod locked =
                methods.find(invocation.getMethod(), targetClass).orElseThrow();
        String name = methods.name(locked, invocation.getArguments());
        try (LockLease lease = locks.get().acquire(name, locked.ttl(), locked.waitFor())) {
            return runUnder(lease, locked.onLost(), invocation);
        }
    }

    private static Object runUnder(LockLease lease, BatonLocked.OnLost onLost, MethodInvocation invocation)
            throws Throwable {
        Call call = new Call(Thread.currentThread(), onLost);
        lease.onLost(ignored -> call.lost());
        BatonLocks.enter(lease);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable failure) {
            if (call.end() || !lease.isValid()) {
                throw new LeaseLostException(lease.name(), lease.token(), failure);
            }
            throw failure;
        } finally {
            BatonLocks.exit();
        }
        if (call.end() || !lease.isValid()) {
            throw new LeaseLostException(lease.name(), lease.token(), null);
        }
        return result;
    }

    /** One call's state, shared between its thread and the lease's listener. */
    private static final class Call {

        private final Thread thread;
        private final BatonLocked.OnLost onLost;
        private boolean running = true;
        private boolean lost;
        private boolean interrupted;

        Call(Thread thread, BatonLocked.OnLost onLost) {
            this.thread = thread;
            this.onLost = onLost;
        }

        synchronized void lost() {
            lost = true;
            if (running && onLost == BatonLocked.OnLost.INTERRUPT) {
                interrupted = true;
                thread.interrupt();
            }
        }

        /** Ends the call on its own thread; whether the lease was lost while it ran. */
        synchronized boolean end() {
            running = false;
            if (interrupted) {
                Thread.interrupted();
            }
            return lost;
        }
    }
}
