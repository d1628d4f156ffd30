package dev.lumen.tenancy;

import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.ForwardingCloudRunServices;

/**
 * A distinct view of Cloud Run over the same client, a distinct object for each identity (see
 * {@link PerIdentity}); closing it leaves the client to its owner.
 */
final class CloudRunView extends ForwardingCloudRunServices {
  CloudRunView(CloudRunServices client) {
    super(client);
  }
}
