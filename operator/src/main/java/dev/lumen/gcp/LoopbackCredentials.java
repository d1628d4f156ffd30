package dev.lumen.gcp;

import com.google.auth.Credentials;
import com.google.auth.RequestMetadataCallback;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Google credentials seen by gRPC as plain credentials, so that they are sent over a plaintext
 * channel; see {@link GoogleIdentities#overPlaintext}.
 */
final class LoopbackCredentials extends Credentials {
  private final Credentials delegate;

  LoopbackCredentials(Credentials delegate) {
    this.delegate = delegate;
  }

  @Override
  public String getAuthenticationType() {
    return delegate.getAuthenticationType();
  }

  @Override
  public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
    return delegate.getRequestMetadata(uri);
  }

  @Override
  public void getRequestMetadata(URI uri, Executor executor, RequestMetadataCallback callback) {
    delegate.getRequestMetadata(uri, executor, callback);
  }

  @Override
  public boolean hasRequestMetadata() {
    return delegate.hasRequestMetadata();
  }

  @Override
  public boolean hasRequestMetadataOnly() {
    return delegate.hasRequestMetadataOnly();
  }

  @Override
  public void refresh() throws IOException {
    delegate.refresh();
  }
}
