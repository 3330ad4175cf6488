package dev.baton.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;

/**
 * The structure every module keeps, as ArchUnit rules that each module's {@code ArchitectureTest}
 * applies to its own code.
 */
public final class ArchitectureRules {

    /** The root package of each service. */
    private static final List<String> SERVICES =
            List.of("dev.baton.registry", "dev.baton.lock", "dev.baton.scheduler", "dev.baton.gateway");

    /**
     * A feature's data access: a store or repository (by name, by {@code @Repository}, or as a
     * Spring Data repository), a JPA entity or attribute converter, or a type nested in one of them.
     */
    private static final DescribedPredicate<JavaClass> DATA_ACCESS = DescribedPredicate.describe(
            "are stores, repositories or entities, or nested in one",
            clazz -> isDataAccess(clazz)
                    || clazz.getEnclosingClass()
                            .map(ArchitectureRules::isDataAccess)
                            .orElse(false));

    private ArchitectureRules() {}

    /** No two packages below {@code dev.baton} depend on each other, directly or round a longer cycle. */
    public static ArchRule noPackageCycles() {
        return slices().matching("dev.baton.(**)").should().beFreeOfCycles();
    }

    /** A service's code ({@code root} and below) uses no other service's code: services talk over HTTP. */
    public static ArchRule noOtherServiceCode(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SERVICES.stream()
                        .filter(service -> !service.equals(root))
                        .map(service -> service + "..")
                        .toArray(String[]::new));
    }

    /** A controller reaches stores, repositories and entities only through its feature's service, never directly. */
    public static ArchRule controllersReachStoresThroughServices() {
        return noClasses()
                .that()
                .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .or()
                .areAnnotatedWith("org.springframework.stereotype.Controller")
                .should()
                .dependOnClassesThat(DATA_ACCESS);
    }

    /**
     * A feature's data access (its stores, repositories and entities) is package-private: another
     * package reaches the feature's data only through what the feature shows, its service. A module
     * without data access keeps the rule as it is.
     */
    public static ArchRule featureInternalsArePackagePrivate() {
        return noClasses()
                .that(DescribedPredicate.describe(
                        "are stores, repositories or entities", ArchitectureRules::isDataAccess))
                .should()
                .bePublic()
                .allowEmptyShould(true);
    }

    /**
     * In a service, a class is public only when another package of the service uses it: nothing
     * outside a service uses its code (services talk over HTTP), so a public class that its own
     * package alone uses shows an internal as if it were the feature's door. The application's
     * main class is public for its launcher.
     */
    public static ArchRule publicOnlyWhatOtherPackagesUse() {
        return classes()
                .that()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .and()
                .areNotAnnotatedWith("org.springframework.boot.autoconfigure.SpringBootApplication")
                .should(new ArchCondition<JavaClass>("be used from another package") {
                    @Override
                    public void check(JavaClass clazz, ConditionEvents events) {
                        boolean used = clazz.getDirectDependenciesToSelf().stream()
                                .anyMatch(dependency -> !dependency
                                        .getOriginClass()
                                        .getPackageName()
                                        .equals(clazz.getPackageName()));
                        if (!used) {
                            events.add(SimpleConditionEvent.violated(
                                    clazz, clazz.getName() + " is public, but no other package uses it"));
                        }
                    }
                });
    }

    private static boolean isDataAccess(JavaClass clazz) {
        return clazz.getSimpleName().endsWith("Store")
                || clazz.getSimpleName().endsWith("Repository")
                || clazz.isAnnotatedWith("org.springframework.stereotype.Repository")
                || clazz.isAssignableTo("org.springframework.data.repository.Repository")
                || clazz.isAnnotatedWith("jakarta.persistence.Entity")
                || clazz.isAnnotatedWith("jakarta.persistence.Converter");
    }
}
