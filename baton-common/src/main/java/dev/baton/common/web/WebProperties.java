package dev.baton.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What every Baton service accepts over HTTP ({@code baton.web.*}).
 *
 * @param maxRequestSize the largest request body: a larger one is refused with 413, by the gateway
 *        before it is sent on and by each service
 */
@Validated
@ConfigurationProperties("baton.web")
public record WebProperties(@DefaultValue("2MB") DataSize maxRequestSize) {}
