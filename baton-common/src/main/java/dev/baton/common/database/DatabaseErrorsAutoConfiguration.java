package dev.baton.common.database;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Translates PostgreSQL's timeouts to Spring's own exceptions for every {@code JdbcTemplate} and
 * {@code JdbcClient} of a service: {@code lock_timeout} ({@code 55P03}) to
 * {@link CannotAcquireLockException}, {@code statement_timeout} ({@code 57014}) to
 * {@link QueryTimeoutException}, also when raised inside a function, where the default
 * translation leaves them uncategorized. Everything else translates as before.
 *
 * <p>A service with a {@link DataSource} also reports whether its commits wait for a synchronous
 * standby ({@link SynchronousStandbysReport}).
 */
@AutoConfiguration
@ConditionalOnClass(SQLExceptionTranslator.class)
public class DatabaseErrorsAutoConfiguration {

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String QUERY_CANCELED = "57014";

    @Bean
    SQLExceptionTranslator postgresTimeoutTranslator() {
        SQLExceptionTranslator fallback = new SQLExceptionSubclassTranslator();
        return (String task, String sql, SQLException ex) -> {
            String state = ex.getSQLState();
            DataAccessException translated = LOCK_NOT_AVAILABLE.equals(state)
                    ? new CannotAcquireLockException(task + ": " + ex.getMessage(), ex)
                    : QUERY_CANCELED.equals(state)
                            ? new QueryTimeoutException(task + ": " + ex.getMessage(), ex)
                            : null;
            return translated != null ? translated : fallback.translate(task, sql, ex);
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, JdbcClient.class, DataSource.class})
    static class SynchronousStandbysConfiguration {

        @Bean
        SynchronousStandbysReport synchronousStandbysReport(ObjectProvider<DataSource> dataSource) {
            return new SynchronousStandbysReport(dataSource::getIfUnique);
        }
    }
}
