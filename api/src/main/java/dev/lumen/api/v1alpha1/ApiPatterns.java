package dev.lumen.api.v1alpha1;

/** Regular expressions shared by the schema of both kinds; the CRDs carry them verbatim. */
public final class ApiPatterns {
  /**
   * A Go-style duration without days, e.g. {@code 200ms}, {@code 90s}, {@code 1h30m}. At most six
   * digits a part, so that no value of at most 16 characters overflows a duration in nanoseconds
   * (as the API server's CEL {@code duration()} counts it).
   */
  public static final String DURATION = "^([0-9]{1,6}(ms|s|m|h))+$";

  /**
   * A compliance window in whole hours or days from 1h to 90d (2160h), e.g. {@code 28d}, {@code
   * 720h}; the bound is in the pattern because CEL's {@code duration()} knows no days.
   */
  public static final String WINDOW =
      "^(([1-9]|[1-8][0-9]|90)d|([1-9][0-9]{0,2}|1[0-9]{3}|20[0-9]{2}|21[0-5][0-9]|2160)h)$";

  /** A percentage from 0 to 100 as a decimal string, e.g. {@code 99.5}. */
  public static final String PERCENT = "^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)$";

  /** A score from 0 to 1 as a decimal string, e.g. {@code 0.75}. */
  public static final String UNIT_INTERVAL = "^(0(\\.[0-9]+)?|1(\\.0+)?)$";

  /** A non-negative decimal string, e.g. {@code 9.36}. */
  public static final String DECIMAL = "^[0-9]+(\\.[0-9]+)?$";

  /** A ratio to a reference as a decimal followed by x, e.g. {@code 1.5x}. */
  public static final String RATIO = "^[0-9]{1,4}(\\.[0-9]{1,3})?x$";

  /** A decimal string that may be negative, e.g. {@code -0.5}. */
  public static final String SIGNED_DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$";

  /** A Kubernetes object name or objective name (DNS-1123 label). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** A Cloud Monitoring Aggregation.Aligner name, e.g. ALIGN_MEAN. */
  public static final String MONITORING_ALIGNER = "^ALIGN_[A-Z_0-9]+$";

  /** A Cloud Monitoring Aggregation.Reducer name, e.g. REDUCE_SUM. */
  public static final String MONITORING_REDUCER = "^REDUCE_[A-Z_0-9]+$";

  /** A Cloud Run traffic tag: part of a host name, so it starts with a letter. */
  public static final String REVISION_TAG = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** A Kubernetes Secret name or data key. */
  public static final String SECRET_NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** A Google Cloud project ID. */
  public static final String GCP_PROJECT = "^[a-z][-a-z0-9]{4,28}[a-z0-9]$";

  /** A Cloud Monitoring notification channel's resource name. */
  public static final String NOTIFICATION_CHANNEL =
      "^projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/notificationChannels/[0-9A-Za-z_-]{1,128}$";

  /** A Google Cloud region, e.g. {@code us-central1}. */
  public static final String GCP_REGION = "^[a-z]+-[a-z]+[0-9]+$";

  /** A Cloud Run service name. */
  public static final String CLOUD_RUN_NAME = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** An absolute http(s) URL without credentials in it (they would be readable in the spec). */
  public static final String HTTP_URL = "^https?://[^\\s/$.?#@][^\\s/@]*(/[^\\s]*)?$";

  /** An ISO 4217 currency code. */
  /**
   * A Google service account's e-mail, e.g. lumen-payments@payments-prod.iam.gserviceaccount.com.
   */
  public static final String GOOGLE_SERVICE_ACCOUNT =
      "^[a-z0-9][-a-z0-9._]{0,99}@[a-z0-9][-a-z0-9.]{0,99}\\.gserviceaccount\\.com$";

  /** A user name for HTTP basic authentication: no colon, no space. */
  public static final String BASIC_AUTH_USER = "^[^:\\s]+$";

  public static final String CURRENCY = "^[A-Z]{3}$";

  private ApiPatterns() {}
}
