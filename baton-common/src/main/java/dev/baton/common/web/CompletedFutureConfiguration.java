package dev.baton.common.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** Puts {@link CompletedFutureReturnValueHandler} ahead of Spring MVC's own return value handlers. */
@Configuration(proxyBeanMethods = false)
public class CompletedFutureConfiguration {

    @Bean
    static BeanPostProcessor completedFutureReturnValues() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.add(0, new CompletedFutureReturnValueHandler(adapter.getReturnValueHandlers()));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }
}
