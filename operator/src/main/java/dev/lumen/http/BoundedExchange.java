package dev.lumen.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request whose whole response, body included, must arrive within a deadline and a size. The
 * JDK client's own request timeout ends when the headers arrive, and its string handler keeps
 * whatever the server sends: an endpoint that streams without end held a thread for ever and filled
 * the heap.
 */
public final class BoundedExchange {
  private BoundedExchange() {}

  /**
   * Sends {@code request} and reads the body as UTF-8 text.
   *
   * @throws ResponseTooLargeException when the body is longer than {@code maxBytes}
   * @throws HttpTimeoutException when the response is not complete within {@code deadline}
   */
  public static HttpResponse<String> send(
      HttpClient http, HttpRequest request, int maxBytes, Duration deadline)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> response =
        http.sendAsync(request, info -> new BoundedSubscriber(maxBytes, info));
    try {
      return response.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw new HttpTimeoutException("no complete response within " + deadline);
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  /** The body is longer than the caller accepts. */
  public static final class ResponseTooLargeException extends IOException {
    ResponseTooLargeException(int maxBytes) {
      super("response body larger than " + maxBytes + " bytes");
    }
  }

  /** Collects the body up to a size; past it, cancels the exchange. */
  private static final class BoundedSubscriber implements HttpResponse.BodySubscriber<String> {
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedSubscriber(int maxBytes, HttpResponse.ResponseInfo info) {
      this.maxBytes = maxBytes;
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > maxBytes) {
        result.completeExceptionally(new ResponseTooLargeException(maxBytes));
      }
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (result.isDone()) {
        subscription.cancel();
      } else {
        subscription.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (body.size() + buffer.remaining() > maxBytes) {
          result.completeExceptionally(new ResponseTooLargeException(maxBytes));
          subscription.cancel();
          return;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        body.writeBytes(bytes);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(body.toString(StandardCharsets.UTF_8));
    }
  }
}
