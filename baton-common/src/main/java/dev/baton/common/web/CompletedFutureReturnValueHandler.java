package dev.baton.common.web;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Answers a controller's {@link CompletableFuture} that is already complete on the request's own
 * thread, instead of through an asynchronous dispatch. A lock granted at once or a blocking query
 * with nothing to wait for is the common case; the dispatch would double its cost. A future still
 * pending goes to Spring MVC's own asynchronous handling.
 */
final class CompletedFutureReturnValueHandler implements HandlerMethodReturnValueHandler {

    private final List<HandlerMethodReturnValueHandler> springHandlers;

    /** @param springHandlers Spring MVC's own handlers, in their order */
    CompletedFutureReturnValueHandler(List<HandlerMethodReturnValueHandler> springHandlers) {
        this.springHandlers = List.copyOf(springHandlers);
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(
            Object returnValue, MethodParameter returnType, ModelAndViewContainer container, NativeWebRequest request)
            throws Exception {
        CompletableFuture<?> future = (CompletableFuture<?>) returnValue;
        if (future == null || !future.isDone()) {
            handlerFor(returnType).handleReturnValue(returnValue, returnType, container, request);
            return;
        }
        Object value;
        try {
            value = future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
        MethodParameter valueType = new ValueType(
                returnType, ResolvableType.forMethodParameter(returnType).getGeneric(0));
        handlerFor(valueType).handleReturnValue(value, valueType, container, request);
    }

    /** The return type of a future's value, as Spring MVC's handlers read a method's return type. */
    private static final class ValueType extends MethodParameter {

        private final ResolvableType type;

        ValueType(MethodParameter original, ResolvableType type) {
            super(original);
            this.type = type;
        }

        @Override
        public Class<?> getParameterType() {
            return type.toClass();
        }

        @Override
        public Type getGenericParameterType() {
            return type.getType();
        }

        @Override
        public ValueType clone() {
            return new ValueType(this, type);
        }
    }

    private HandlerMethodReturnValueHandler handlerFor(MethodParameter type) {
        for (HandlerMethodReturnValueHandler handler : springHandlers) {
            if (handler.supportsReturnType(type)) {
                return handler;
            }
        }
        throw new IllegalStateException(
                "Spring MVC cannot handle a return value of type " + type.getGenericParameterType());
    }
}
