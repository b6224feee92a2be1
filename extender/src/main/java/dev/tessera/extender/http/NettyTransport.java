package dev.tessera.extender.http;

import dev.tessera.extender.tls.TlsMaterial;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * {@link HttpTransport} on Netty (NIO): one event loop thread parses and writes, handlers run on
 * the worker pool so a slow bind never stalls other connections.
 */
public final class NettyTransport implements HttpTransport {
  private final TransportSettings settings;
  private final InFlight inFlight = new InFlight();
  private EventLoopGroup loop;
  private ExecutorService pool;
  private Channel listener;
  private ChannelGroup connections;

  public NettyTransport(TransportSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start(HttpHandler handler) {
    SslContext ssl = null;
    if (settings.tls()) {
      try {
        ssl =
            SslContextBuilder.forServer(
                    TlsMaterial.fromPem(
                            settings.tlsCert().orElseThrow(), settings.tlsKey().orElseThrow())
                        .keyManagerFactory())
                .build();
      } catch (SSLException e) {
        throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
    SslContext tls = ssl;
    loop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("extender-io", true), NioIoHandler.newFactory());
    pool = Workers.pool("extender-http", settings.workers());
    connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    var bootstrap =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    if (tls != null) {
                      ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(TransportSettings.MAX_BODY_BYTES))
                        .addLast(new Dispatch(handler));
                  }
                });
    try {
      listener =
          bootstrap
              .bind(new InetSocketAddress(settings.host(), settings.port()))
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      pool.shutdownNow();
      throw new IllegalStateException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void stop(Duration drain) {
    if (listener == null) {
      return;
    }
    listener.close().syncUninterruptibly();
    inFlight.awaitIdle(drain);
    connections.close().awaitUninterruptibly(drain.toMillis());
    pool.shutdown();
    loop.shutdownGracefully(0, drain.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
  }

  private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final HttpHandler handler;

    Dispatch(HttpHandler handler) {
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      var exchange =
          new HttpExchange(
              req.method().name(),
              new QueryStringDecoder(req.uri()).path(),
              ByteBufUtil.getBytes(req.content()));
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      inFlight.enter();
      try {
        pool.execute(
            () -> {
              try {
                write(ctx, handler.handle(exchange), keepAlive);
              } catch (RuntimeException e) {
                write(ctx, HttpExchange.Response.text(500, "internal error: " + e), false);
              } finally {
                inFlight.exit();
              }
            });
      } catch (RejectedExecutionException e) {
        inFlight.exit();
        write(ctx, HttpExchange.Response.text(503, "shutting down"), false);
      }
    }

    private void write(ChannelHandlerContext ctx, HttpExchange.Response r, boolean keepAlive) {
      FullHttpResponse resp =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(r.status()),
              Unpooled.wrappedBuffer(r.body()));
      resp.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
      if (keepAlive) {
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(resp);
      } else {
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
