package dev.baton.gateway.routing;

import dev.baton.common.problem.Causes;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import reactor.netty.http.client.PrematureCloseException;

/**
 * How the gateway answers a failure to reach or hear an upstream, on every route: no replica
 * took the connection (503, retry after a second: nothing reached a service), none answered in
 * time (504), or the connection broke while the request was in flight (502: whether it took
 * effect is unknown).
 *
 * @param status the answer's status
 * @param detail the problem's detail
 * @param headers headers the answer carries, such as {@code Retry-After}
 */
public record UpstreamFailure(HttpStatus status, String detail, Map<String, String> headers) {

    /** What {@code error} means for the client, or null when it is no failure of an upstream. */
    public static UpstreamFailure of(Throwable error) {
        if (Causes.find(error, ConnectException.class) != null) {
            return new UpstreamFailure(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "The service behind this path is not reachable now; retry later.",
                    Map.of("Retry-After", "1"));
        }
        if (Causes.find(error, TimeoutException.class) != null
                || Causes.find(error, ReadTimeoutException.class) != null) {
            return new UpstreamFailure(
                    HttpStatus.GATEWAY_TIMEOUT, "The service behind this path did not answer in time.", Map.of());
        }
        if (Causes.find(error, PrematureCloseException.class) != null
                || Causes.find(error, IOException.class) != null) {
            return new UpstreamFailure(
                    HttpStatus.BAD_GATEWAY,
                    "The service behind this path failed before it "
                            + "answered; whether the request took effect is unknown. Retry it with the same requestId.",
                    Map.of());
        }
        return null;
    }

    /** Whether nothing reached a service: the request may go to another replica, whatever its method. */
    public boolean unsent() {
        return status == HttpStatus.SERVICE_UNAVAILABLE;
    }

    /** Whether the request was cut off in flight: another replica may take it when it is safe to repeat. */
    public boolean cutOff() {
        return status == HttpStatus.BAD_GATEWAY;
    }
}
