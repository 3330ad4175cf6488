package dev.baton.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * A test of a whole Baton service, served over real HTTP on a random port, on a real
 * PostgreSQL ({@link TestDatabase}), accepting the {@link TestApiKeys}, its spans collected
 * ({@link CollectedSpans}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = BatonTestEnvironment.class)
@Import(CollectedSpans.class)
public @interface BatonServiceTest {}
