package dev.baton.spring.boot.config;

import org.springframework.boot.context.config.ConfigDataException;

/** Baton's configuration, which the application imports and needs, could not be read. */
class ConfigUnavailableException extends ConfigDataException {

    ConfigUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
