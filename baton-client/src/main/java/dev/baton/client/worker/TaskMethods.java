package dev.baton.client.worker;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The application's {@link BatonTask} methods by name, found on its singleton beans once they all
 * exist, before the web server takes requests. Start-up fails on a task that cannot be served.
 */
final class TaskMethods implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TaskMethods.class);

    private final ConfigurableListableBeanFactory beans;
    private final String path;
    private final boolean schedulerKnown;
    private final boolean signingKnown;
    private volatile Map<String, TaskMethod> byName = Map.of();

    /**
     * @param path where the tasks are served, for the log
     * @param schedulerKnown whether completions can be reported, which tasks that complete later need
     * @param signingKnown whether the scheduler's signing secret is configured, which every task needs
     */
    TaskMethods(ConfigurableListableBeanFactory beans, String path, boolean schedulerKnown, boolean signingKnown) {
        this.beans = beans;
        this.path = path;
        this.schedulerKnown = schedulerKnown;
        this.signingKnown = signingKnown;
    }

    /** The task of that name, or null. */
    TaskMethod find(String name) {
        return byName.get(name);
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, TaskMethod> found = new TreeMap<>();
        for (String beanName : beans.getBeanNamesForType(Object.class, false, false)) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = targetClass(beanName);
            if (type == null || !AnnotationUtils.isCandidateClass(type, BatonTask.class)) {
                continue;
            }
            Map<Method, BatonTask> annotated =
                    MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<BatonTask>)
                            method -> AnnotatedElementUtils.findMergedAnnotation(method, BatonTask.class));
            if (annotated.isEmpty()) {
                continue;
            }
            Object bean = beans.getBean(beanName);
            annotated.forEach((method, task) -> add(
                    found, TaskMethod.of(task.value(), bean, AopUtils.selectInvocableMethod(method, bean.getClass()))));
        }
        byName = Map.copyOf(found);
        if (found.isEmpty()) {
            log.info("No @BatonTask methods found; Baton's scheduler has nothing to run here");
        } else {
            log.info("Baton tasks at POST {}/{name}: {}", path, found.values());
        }
    }

    private void add(Map<String, TaskMethod> found, TaskMethod task) {
        TaskMethod other = found.putIfAbsent(task.name(), task);
        if (other != null) {
            throw new IllegalStateException("Two tasks are named '" + task.name() + "': " + other + " and " + task);
        }
        if (!signingKnown) {
            throw new IllegalStateException("Task " + task + " can only be called by Baton's scheduler, which signs "
                    + "its calls: set baton.worker.signing-secrets to the secret the scheduler has for this service");
        }
        if (task.completesLater() && !schedulerKnown) {
            throw new IllegalStateException("Task " + task + " completes later, which it reports to the scheduler: "
                    + "set baton.worker.scheduler-url (or baton.discovery.url)");
        }
    }

    private Class<?> targetClass(String beanName) {
        try {
            return AutoProxyUtils.determineTargetClass(beans, beanName);
        } catch (RuntimeException e) {
            // As Spring's own @EventListener scan does: a lazy bean whose type cannot be resolved is left alone.
            log.debug("Skipping bean '{}' whose type cannot be determined: {}", beanName, e.getMessage());
            return null;
        }
    }
}
