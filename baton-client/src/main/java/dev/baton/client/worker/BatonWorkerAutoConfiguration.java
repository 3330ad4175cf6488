package dev.baton.client.worker;

import dev.baton.http.BatonHttp;
import dev.baton.http.TracePropagation;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves this Spring MVC application's {@link BatonTask} methods to Baton's scheduler. With
 * {@code baton-discovery} on the classpath and {@code baton.discovery.url} set, the application
 * also registers with Baton's registry, where a job finds it as its target.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@EnableConfigurationProperties(BatonWorkerProperties.class)
public class BatonWorkerAutoConfiguration {

    @Bean
    TaskMethods batonTaskMethods(
            ConfigurableListableBeanFactory beans, BatonWorkerProperties properties, Environment environment) {
        return new TaskMethods(
                beans,
                properties.path(),
                schedulerUrl(properties, environment) != null,
                !properties.signingSecrets().isEmpty());
    }

    /** With the application's trace propagation, when it traces (baton-spring-boot-starter provides it). */
    @Bean
    CompletionReporter batonCompletionReporter(
            BatonWorkerProperties properties,
            Environment environment,
            ObjectProvider<JsonMapper> json,
            ObjectProvider<TracePropagation> tracing) {
        return new CompletionReporter(
                scheduler(properties, environment, json(json), tracing), properties.heartbeatInterval(), json(json));
    }

    @Bean
    TaskLogs batonTaskLogs(
            BatonWorkerProperties properties,
            Environment environment,
            ObjectProvider<JsonMapper> json,
            ObjectProvider<TracePropagation> tracing) {
        return new TaskLogs(
                scheduler(properties, environment, json(json), tracing),
                properties.logInterval(),
                properties.logBuffer(),
                json(json));
    }

    @Bean
    RouterFunction<ServerResponse> batonTaskRoutes(
            BatonWorkerProperties properties,
            TaskMethods tasks,
            CompletionReporter reporter,
            TaskLogs logs,
            ObjectProvider<JsonMapper> json) {
        return RouterFunctions.route()
                .POST(
                        properties.path() + "/{name}",
                        new TaskEndpoint(
                                new SignedCalls(properties.signingSecrets(), Clock.systemUTC()),
                                tasks,
                                reporter,
                                logs,
                                json(json),
                                (int) properties.maxBodySize().toBytes()))
                .build();
    }

    /**
     * The scheduler's API with the worker's key and the application's trace propagation, where its
     * calls back go; null when no URL is configured.
     */
    private static BatonHttp scheduler(
            BatonWorkerProperties properties,
            Environment environment,
            JsonMapper json,
            ObjectProvider<TracePropagation> tracing) {
        String url = schedulerUrl(properties, environment);
        if (url == null) {
            return null;
        }
        String apiKey = StringUtils.hasText(properties.apiKey())
                ? properties.apiKey()
                : environment.getProperty("baton.discovery.api-key");
        return BatonHttp.builder()
                .baseUrl(url)
                .apiKey(apiKey)
                .json(json)
                .tracing(tracing.getIfAvailable(() -> TracePropagation.NONE))
                .build();
    }

    /** The configured URL, else the registry's: Baton's gateway routes the scheduler's API too. */
    private static String schedulerUrl(BatonWorkerProperties properties, Environment environment) {
        if (StringUtils.hasText(properties.schedulerUrl())) {
            return properties.schedulerUrl();
        }
        String discovery = environment.getProperty("baton.discovery.url");
        return StringUtils.hasText(discovery) ? discovery : null;
    }

    /** The application's mapper, so that its Jackson settings bind payloads and write results. */
    private static JsonMapper json(ObjectProvider<JsonMapper> json) {
        return json.getIfAvailable(() -> JsonMapper.builder().build());
    }
}
