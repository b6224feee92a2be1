package dev.tessera.deviceplugin.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;

/** gRPC over Unix domain sockets with Netty's epoll transport (Linux only, like kubelet). */
public final class UnixSockets {
  private UnixSockets() {}

  /**
   * A new event loop group for Unix socket servers and channels.
   *
   * @throws IllegalStateException when the epoll transport is unavailable (not Linux x86-64), with
   *     the reason
   */
  public static EventLoopGroup newEventLoopGroup(int threads) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "Unix domain sockets need Netty's epoll transport (Linux x86-64): "
              + Epoll.unavailabilityCause());
    }
    return new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
  }

  /** A server builder bound to the socket file {@code path} (which must not exist). */
  public static NettyServerBuilder server(Path path, EventLoopGroup group) {
    return NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(group)
        .workerEventLoopGroup(group);
  }

  /** A plaintext channel to the socket file {@code path}. */
  public static ManagedChannel channel(Path path, EventLoopGroup group) {
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .overrideAuthority("localhost")
        .usePlaintext()
        .build();
  }
}
