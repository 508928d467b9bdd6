package io.sealsync.testsupport;

import java.io.File;
import java.time.Duration;
import java.util.Set;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Runs the integration tests against Payara Micro or WildFly ({@link AppServer}), unchanged: the
 * server starts once with the built WAR deployed, as in production, instead of one deployment per
 * test class. So only black-box tests ({@code @Deployment(testable = false)} of {@link
 * Deployments#war()}) can run here; a deployment with anything else in it is refused rather than
 * silently tested against a different archive.
 */
public class AppServerContainer implements DeployableContainer<AppServerConfiguration> {
  /** Where {@link Http#health} finds {@code /health} when the server keeps it elsewhere. */
  static final String HEALTH_URL_PROPERTY = "sealsync.test.health.url";

  private AppServerConfiguration configuration;
  private AppServer server;

  @Override
  public Class<AppServerConfiguration> getConfigurationClass() {
    return AppServerConfiguration.class;
  }

  @Override
  public void setup(AppServerConfiguration configuration) {
    this.configuration = configuration;
  }

  @Override
  public void start() throws LifecycleException {
    // Payara Micro now and then reports itself ready without its HTTP listener ever accepting
    // ("GrizzlyProxy is NULL"); a second start has always come up. A healthy start takes well
    // under the first attempt's two minutes.
    long full = configuration.startupTimeoutSeconds();
    for (int attempt = 1; ; attempt++) {
      server = AppServer.of(configuration.settings());
      try {
        server.start(false);
        server.awaitReady(Duration.ofSeconds(attempt == 1 ? Math.min(120, full) : full));
        break;
      } catch (Exception e) {
        server.stop();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        } else if (attempt == 1) {
          System.err.println(
              "[sealsync] "
                  + configuration.settings().kind()
                  + " did not become ready, starting it once more: "
                  + e.getMessage());
          continue;
        }
        throw new LifecycleException("could not start " + configuration.settings().kind(), e);
      }
    }
    System.setProperty(HEALTH_URL_PROPERTY, server.healthUri().toString());
    System.setProperty(ServerLogs.LOG_PROPERTY, server.log().toString());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public ProtocolDescription getDefaultProtocol() {
    return new ProtocolDescription("Local");
  }

  @Override
  public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
    File war = configuration.settings().war().toFile();
    Set<ArchivePath> running =
        ShrinkWrap.createFromZipFile(WebArchive.class, war).getContent().keySet();
    if (!running.equals(archive.getContent().keySet())) {
      throw new DeploymentException(
          configuration.settings().kind()
              + " runs "
              + war
              + " as deployed at its start; only black-box tests of that WAR"
              + " (@Deployment(testable = false) returning Deployments.war()) run here");
    }
    return new ProtocolMetaData()
        .addContext(new HTTPContext("localhost", configuration.settings().httpPort()));
  }

  @Override
  public void undeploy(Archive<?> archive) {
    // The WAR stays deployed for the next test class; the server goes with stop().
  }
}
