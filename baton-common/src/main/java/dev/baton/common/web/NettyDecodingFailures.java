package dev.baton.common.web;

import dev.baton.common.problem.Problems;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request that Netty's HTTP decoder could not read (a request line over its limit,
 * headers over theirs, a malformed message) with a problem, as every other refusal is, instead
 * of Reactor Netty's bare status: 414, 431 or 400, then the connection is closed, since what
 * follows on it cannot be trusted. It sits right after the codec, before anything reads the
 * request.
 */
@ChannelHandler.Sharable
public final class NettyDecodingFailures extends ChannelInboundHandlerAdapter {

    private static final String NAME = "baton.decodingFailures";

    private final JsonMapper json;

    private NettyDecodingFailures(JsonMapper json) {
        this.json = json;
    }

    /** {@code server}, answering what its decoder refuses with problems. */
    public static HttpServer install(HttpServer server, JsonMapper json) {
        NettyDecodingFailures handler = new NettyDecodingFailures(json);
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
                    && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, handler);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        DecoderResult result = message instanceof HttpObject object ? object.decoderResult() : null;
        if (result == null || !result.isFailure()) {
            context.fireChannelRead(message);
            return;
        }
        ReferenceCountUtil.release(message);
        HttpStatus status = status(result.cause());
        String detail = status == HttpStatus.URI_TOO_LONG
                ? "The request's URL is too long."
                : status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        ? "The request's headers are too large."
                        : "The request is not well-formed HTTP.";
        byte[] body = json.writeValueAsBytes(Problems.members(status, detail, null));
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status.value()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static HttpStatus status(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpStatus.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return cause instanceof TooLongFrameException
                ? HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpStatus.BAD_REQUEST;
    }
}
