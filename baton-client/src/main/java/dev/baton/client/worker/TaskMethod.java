package dev.baton.client.worker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link BatonTask} method and how to call it: which parameter takes the payload and which the
 * {@link TaskContext}, and whether it completes later. Immutable.
 */
final class TaskMethod {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final String name;
    private final Object bean;
    private final Method method;
    private final int payloadIndex;
    private final int contextIndex;

    private TaskMethod(String name, Object bean, Method method, int payloadIndex, int contextIndex) {
        this.name = name;
        this.bean = bean;
        this.method = method;
        this.payloadIndex = payloadIndex;
        this.contextIndex = contextIndex;
    }

    /**
     * Checks the method's name and signature.
     *
     * @throws IllegalStateException when the task cannot be served as declared
     */
    static TaskMethod of(String name, Object bean, Method method) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("@BatonTask(\"" + name + "\") on " + describe(method)
                    + ": a task's name takes letters, digits, '.', '_' and '-' only");
        }
        int payloadIndex = -1;
        int contextIndex = -1;
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            boolean context = parameters[i] == TaskContext.class;
            if (context ? contextIndex >= 0 : payloadIndex >= 0) {
                throw new IllegalStateException("@BatonTask(\"" + name + "\") on " + describe(method)
                        + ": a task takes at most one payload and one TaskContext");
            }
            if (context) {
                contextIndex = i;
            } else {
                payloadIndex = i;
            }
        }
        ReflectionUtils.makeAccessible(method);
        return new TaskMethod(name, bean, method, payloadIndex, contextIndex);
    }

    String name() {
        return name;
    }

    /** Whether it returns a {@link CompletionStage} and so completes after its answer. */
    boolean completesLater() {
        return CompletionStage.class.isAssignableFrom(method.getReturnType());
    }

    boolean takesPayload() {
        return payloadIndex >= 0;
    }

    /** The payload's declared type, generics included; only when it {@link #takesPayload()}. */
    Type payloadType() {
        return method.getGenericParameterTypes()[payloadIndex];
    }

    /**
     * Calls the method.
     *
     * @throws InvocationTargetException wrapping what the method threw
     */
    Object invoke(Object payload, TaskContext context) throws InvocationTargetException {
        Object[] arguments = new Object[method.getParameterCount()];
        if (payloadIndex >= 0) {
            arguments[payloadIndex] = payload;
        }
        if (contextIndex >= 0) {
            arguments[contextIndex] = context;
        }
        try {
            return method.invoke(bean, arguments);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("made accessible when it was found", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + describe(method) + ")";
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }
}
