package io.sealsync.platform.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.sealsync.platform.config.ConfigNumbers;
import io.sealsync.platform.config.FeatureSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Traces: one server span per request, continuing the caller's W3C {@code traceparent}, sent in
 * batches over OTLP/HTTP to the collector {@code sealsync.tracing.otlp.endpoint} names. The
 * OpenTelemetry SDK is this application's own instance, built here and never registered as {@code
 * GlobalOpenTelemetry}: several applications may share a server, and the server may have an
 * OpenTelemetry of its own. With no endpoint (the default) nothing of the SDK is created and {@link
 * #start} costs nothing.
 *
 * <p>A span carries only bounded, non-identifying values: the method, the route template, the
 * status, the scheme, the port and the protocol's error code. Never the raw path or query (agent
 * ids, user data), never a tenant, user or key id.
 */
@ApplicationScoped
public class Tracing {
  private static final Logger LOG = Logger.getLogger(Tracing.class.getName());

  /** How long shutdown waits for the last spans to be exported. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  static final String INSTRUMENTATION_SCOPE = "io.sealsync";

  // OpenTelemetry semantic conventions (HTTP server spans), by name: the semconv artifact is no
  // dependency.
  static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> RESOURCE_SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> RESOURCE_SERVICE_INSTANCE_ID =
      AttributeKey.stringKey("service.instance.id");

  /** The protocol's error code of the answer (e.g. {@code invalid_request}). */
  static final AttributeKey<String> SEALSYNC_ERROR_CODE =
      AttributeKey.stringKey("sealsync.error_code");

  /** The methods semantic conventions name; any other is {@code _OTHER}, never the raw value. */
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private static final String OTHER_METHOD = "_OTHER";

  private Settings settings;
  private SdkTracerProvider provider;

  /** Null when tracing is off or shut down. */
  private volatile Tracer tracer;

  /** For CDI. */
  public Tracing() {}

  /** Without CDI (tests): configured and started at once; {@link #shutdown} ends it. */
  Tracing(Settings settings) {
    configure(settings);
  }

  @PostConstruct
  void init() {
    configure(FeatureSettings.read("Tracing", Settings::read));
  }

  /** Creates the bean at start, so that a bad setting stops the deployment, and says what it is. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    LOG.info(describe());
  }

  private void configure(Settings s) {
    this.settings = s;
    if (!s.enabled()) {
      return;
    }
    OtlpHttpSpanExporterBuilder exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(s.tracesUrl())
            // Services (the HTTP sender) from this application's class loader, which holds the
            // JDK sender, whatever the thread's context class loader is.
            .setComponentLoader(ComponentLoader.forClassLoader(Tracing.class.getClassLoader()))
            // No exporter metrics: the default would look up GlobalOpenTelemetry.
            .setMeterProvider(MeterProvider.noop());
    s.headers().forEach(exporter::addHeader);
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        RESOURCE_SERVICE_NAME,
                        s.serviceName(),
                        // Tells this node's spans from the other nodes'.
                        RESOURCE_SERVICE_INSTANCE_ID,
                        UUID.randomUUID().toString())));
    provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(s.sampleRatio())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter.build())
                    .setMeterProvider(MeterProvider.noop())
                    .build())
            .build();
    tracer = provider.get(INSTRUMENTATION_SCOPE);
  }

  /** One line for the log: on or off, and where spans go. */
  String describe() {
    if (!settings.enabled()) {
      return "Tracing: off (set " + Settings.ENDPOINT + " to send spans over OTLP/HTTP)";
    }
    return "Tracing: on, spans to "
        + settings.tracesUrl()
        + " (OTLP/HTTP protobuf) as service.name="
        + settings.serviceName()
        + ", sample ratio "
        + settings.sampleRatio()
        + " for new traces (a caller's traceparent decides for its own)"
        + (settings.headers().isEmpty()
            ? ""
            : ", with header(s) " + String.join(", ", settings.headers().keySet()));
  }

  public boolean enabled() {
    return tracer != null;
  }

  /** The server span of one request, continuing the caller's W3C traceparent. */
  public RequestSpan start(HttpServletRequest request) {
    Tracer t = tracer;
    if (t == null) {
      return RequestSpan.NONE;
    }
    Context parent =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), request, RequestHeaders.INSTANCE);
    String method = request.getMethod();
    if (method == null || !KNOWN_METHODS.contains(method)) {
      method = OTHER_METHOD;
    }
    // Semantic conventions name a span of an unknown method "HTTP".
    String name = method.equals(OTHER_METHOD) ? "HTTP" : method;
    SpanBuilder builder =
        t.spanBuilder(name)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HTTP_REQUEST_METHOD, method);
    String scheme = request.getScheme();
    if (scheme != null) {
      builder.setAttribute(URL_SCHEME, scheme.toLowerCase(Locale.ROOT));
    }
    int port = request.getServerPort();
    if (port > 0) {
      builder.setAttribute(SERVER_PORT, (long) port);
    }
    Span span = builder.startSpan();
    return new SdkRequestSpan(parent.with(span), span, name);
  }

  /** Exports the spans still queued (waiting at most 5 s) and stops the SDK. */
  @PreDestroy
  void shutdown() {
    SdkTracerProvider p = provider;
    if (p == null) {
      return;
    }
    tracer = null;
    provider = null;
    CompletableResultCode done = p.shutdown().join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (!done.isSuccess()) {
      LOG.warning(
          "Tracing: the last spans could not be exported to "
              + settings.tracesUrl()
              + " within "
              + SHUTDOWN_WAIT.toSeconds()
              + " s; they are dropped");
    }
  }

  /** A request's headers, as the W3C propagator reads them. */
  private enum RequestHeaders implements TextMapGetter<HttpServletRequest> {
    INSTANCE;

    @Override
    public String get(HttpServletRequest request, String key) {
      return request == null ? null : request.getHeader(key);
    }
  }

  /** A recording (or sampled-out) SDK span; ends once. */
  private static final class SdkRequestSpan implements RequestSpan {
    private final Context context;
    private final Span span;
    private final String name;
    private final AtomicBoolean ended = new AtomicBoolean();

    SdkRequestSpan(Context context, Span span, String name) {
      this.context = context;
      this.span = span;
      this.name = name;
    }

    @Override
    public String traceId() {
      SpanContext c = span.getSpanContext();
      return c.isValid() ? c.getTraceId() : null;
    }

    @Override
    public void end(String route, int status, String errorCode) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      if (route != null) {
        span.updateName(name + " " + route);
        span.setAttribute(HTTP_ROUTE, route);
      }
      span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
      if (errorCode != null) {
        span.setAttribute(SEALSYNC_ERROR_CODE, errorCode);
      }
      // A server span is an error for a 5xx only: a 4xx is the client's.
      if (status >= 500) {
        span.setAttribute(ERROR_TYPE, Integer.toString(status));
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }

    @Override
    public Scope makeCurrent() {
      return context.makeCurrent();
    }
  }

  /**
   * The tracing settings, read once at start.
   *
   * @param endpoint the OTLP/HTTP receiver's base URL, or null: tracing off
   * @param headers sent with every export (e.g. a vendor's API key); their values are never logged
   */
  record Settings(
      URI endpoint, String serviceName, double sampleRatio, Map<String, String> headers) {
    static final String ENDPOINT = "sealsync.tracing.otlp.endpoint";
    static final String HEADERS = "sealsync.tracing.otlp.headers";
    static final String SERVICE_NAME = "sealsync.tracing.service-name";
    static final String SAMPLE_RATIO = "sealsync.tracing.sample-ratio";

    private static final String TRACES_PATH = "/v1/traces";
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    Settings {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * @param config answers a full key with its value, if set (MicroProfile Config treats an empty
     *     value as unset)
     */
    static Settings read(Function<String, Optional<String>> config) {
      return new Settings(
          endpoint(config.apply(ENDPOINT).orElse(null)),
          config
              .apply(SERVICE_NAME)
              .map(String::strip)
              .filter(v -> !v.isEmpty())
              .orElse("sealsync"),
          ConfigNumbers.decimalIn(SAMPLE_RATIO, config.apply(SAMPLE_RATIO).orElse("1.0"), 0, 1),
          headers(config.apply(HEADERS).orElse(null)));
    }

    boolean enabled() {
      return endpoint != null;
    }

    /** Where spans are posted: the endpoint plus {@code /v1/traces}, unless it ends so already. */
    String tracesUrl() {
      String base = endpoint.toString();
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      return base.endsWith(TRACES_PATH) ? base : base + TRACES_PATH;
    }

    static URI endpoint(String raw) {
      if (raw == null || raw.isBlank()) {
        return null;
      }
      String problem = ENDPOINT + " must be an http or https URL such as http://collector:4318";
      URI uri;
      try {
        uri = new URI(raw.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(problem + "; got '" + raw + "'");
      }
      if (uri.getRawUserInfo() != null) {
        // Not echoed: it holds a credential.
        throw new IllegalArgumentException(
            ENDPOINT + " must not hold credentials: set them as headers in " + HEADERS);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(problem + "; got '" + raw + "'");
      }
      return uri;
    }

    /**
     * {@code name=value} pairs separated by commas, as in {@code OTEL_EXPORTER_OTLP_HEADERS}:
     * values may be percent-encoded ({@code Authorization=Basic%20...}); a {@code +} stays a plus.
     */
    static Map<String, String> headers(String raw) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (raw == null) {
        return headers;
      }
      String[] entries = raw.split(",");
      for (int i = 0; i < entries.length; i++) {
        String entry = entries[i];
        if (entry.isBlank()) {
          continue;
        }
        int eq = entry.indexOf('=');
        String name = eq < 0 ? "" : entry.substring(0, eq).strip();
        // The message never quotes the entry: a value may be a credential.
        String problem =
            HEADERS + " must be name=value pairs separated by commas; entry " + (i + 1) + " is not";
        if (!HEADER_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(problem);
        }
        String value;
        try {
          value =
              URLDecoder.decode(
                      entry.substring(eq + 1).strip().replace("+", "%2B"), StandardCharsets.UTF_8)
                  .strip();
        } catch (IllegalArgumentException badEscape) {
          throw new IllegalArgumentException(problem + " (a bad %-escape)");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
          throw new IllegalArgumentException(problem + " (a line break)");
        }
        headers.put(name, value);
      }
      return headers;
    }
  }
}
