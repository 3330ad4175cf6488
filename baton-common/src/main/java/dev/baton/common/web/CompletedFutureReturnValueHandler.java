package dev.baton.common.web;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Answers a controller's {@link CompletableFuture} that is already complete on the request's own
 * thread, instead of through an asynchronous dispatch. A lock granted at once or a blocking query
 * with nothing to wait for is the common case; the dispatch would double its cost. A future still
 * pending is answered through a {@link DeferredResult} when it completes, and is cancelled when
 * the request ends first: its client went away or its asynchronous timeout fired. So whoever
 * waits for the future learns that nobody waits for its answer any more.
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
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer container,
            NativeWebRequest request) throws Exception {
        CompletableFuture<?> future = (CompletableFuture<?>) returnValue;
        if (future == null) {
            handlerFor(returnType).handleReturnValue(null, returnType, container, request);
            return;
        }
        if (!future.isDone()) {
            DeferredResult<Object> deferred = new DeferredResult<>();
            deferred.onTimeout(() -> future.cancel(false));
            deferred.onError(error -> future.cancel(false));
            future.whenComplete((value, error) -> {
                if (error == null) {
                    deferred.setResult(value);
                } else if (!(error instanceof CancellationException)) {
                    deferred.setErrorResult(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                }
            });
            WebAsyncUtils.getAsyncManager(request).startDeferredResultProcessing(deferred, container);
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
        MethodParameter valueType = new ValueType(returnType, ResolvableType.forMethodParameter(returnType).getGeneric(0));
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
        throw new IllegalStateException("Spring MVC cannot handle a return value of type " + type.getGenericParameterType());
    }
}
