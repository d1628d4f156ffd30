package dev.lumen.testkit.google;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A plaintext gRPC server on a free loopback port, for the fakes of Google's APIs. */
final class LoopbackGrpcServer implements AutoCloseable {
  private final Server server;

  LoopbackGrpcServer(CallerLog callers, BindableService... services) {
    var builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, callers));
    }
    try {
      this.server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port for a client's endpoint override. */
  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
