package dev.baton.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** One rendering of the chart, with the look-ups the tests share. */
record Manifests(List<HasMetadata> all) {

    <T extends HasMetadata> List<T> of(Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> ofKind(String kind) {
        return all.stream().filter(object -> kind.equals(object.getKind())).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return of(type).stream()
                .filter(object -> name.equals(object.getMetadata().getName()))
                .findFirst();
    }

    /** The pod templates of every workload, each named by its workload. */
    List<Workload> workloads() {
        return Stream.concat(
                        of(Deployment.class).stream()
                                .map(d -> new Workload(
                                        d.getMetadata().getName(),
                                        d.getSpec().getSelector().getMatchLabels(),
                                        d.getSpec().getTemplate())),
                        of(StatefulSet.class).stream()
                                .map(s -> new Workload(
                                        s.getMetadata().getName(),
                                        s.getSpec().getSelector().getMatchLabels(),
                                        s.getSpec().getTemplate())))
                .toList();
    }

    List<Container> containers() {
        return workloads().stream()
                .flatMap(workload -> workload.template().getSpec().getContainers().stream())
                .toList();
    }

    record Workload(String name, java.util.Map<String, String> selector, PodTemplateSpec template) {}
}
