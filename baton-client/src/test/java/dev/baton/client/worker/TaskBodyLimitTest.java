package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.unit.DataSize;

/**
 * A task call's body over {@code baton.worker.max-body-size} is refused with a 413 problem, signed
 * or not, as soon as the limit is passed: a caller without the secret cannot make a worker wait
 * for, or hold, more than the limit.
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            WorkerApplication.OWN_CONFIG,
            TestWorkers.WORKER_SIGNING,
            "baton.worker.max-body-size=64KB",
            "baton.worker.scheduler-url=http://127.0.0.1:9"
        })
class TaskBodyLimitTest {

    private static final int LIMIT = 64 * 1024;

    @LocalServerPort
    private int port;

    @Autowired
    private WorkerApplication.BillingTasks tasks;

    private TestHttp http;

    @BeforeEach
    void connect() {
        http = TestHttp.localhost(port);
    }

    /** A JSON invoice of exactly {@code size} bytes. */
    private static String invoice(int size) {
        String head = "{\"customer\":\"";
        String tail = "\",\"cents\":5}";
        return head + "a".repeat(size - head.length() - tail.length()) + tail;
    }

    @Test
    void a_signed_body_of_the_limit_is_taken_and_one_byte_more_is_a_413_problem() {
        int charges = tasks.charges.get();
        TestHttp.Response taken = Dispatch.task(http, "/baton/tasks/charge", invoice(LIMIT), 901, 1, 0, 1);
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);

        TestHttp.Response refused = Dispatch.task(http, "/baton/tasks/charge", invoice(LIMIT + 1), 902, 1, 0, 1);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().path("detail").asString()).contains("baton.worker.max-body-size", "65536");
        assertThat(tasks.charges.get()).isEqualTo(charges + 1);
    }

    @Test
    void an_unsigned_call_that_declares_a_huge_body_is_refused_before_it_is_sent() throws IOException {
        try (Socket socket = connected()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /baton/tasks/charge HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 107374182400\r\n\r\n{\"customer\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertTooLarge(answer(socket));
        }
    }

    @Test
    void an_unsigned_chunked_body_is_refused_once_it_passes_the_limit_without_its_end() throws IOException {
        try (Socket socket = connected()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /baton/tasks/charge HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[4096];
            Arrays.fill(chunk, (byte) ' ');
            for (int sent = 0; sent <= LIMIT; sent += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();

            assertTooLarge(answer(socket));
        }
    }

    @Test
    void the_limit_is_one_mebibyte_by_default() {
        BatonWorkerProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("baton.worker", BatonWorkerProperties.class);
        assertThat(defaults.maxBodySize()).isEqualTo(DataSize.ofBytes(1024 * 1024));
    }

    private Socket connected() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** The status line, headers and body the worker answered while the body was still unsent. */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!answer.toString(StandardCharsets.UTF_8).contains("}")) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            answer.write(buffer, 0, read);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static void assertTooLarge(String answer) {
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"status\":413", "baton.worker.max-body-size");
    }
}
