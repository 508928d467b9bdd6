package io.sealsync.testsupport;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Registers {@link AppServerContainer} only in the test runs that select the {@code payara} or
 * {@code wildfly} container of {@code arquillian.xml} (system property {@code arquillian.launch}):
 * Arquillian allows one container adapter on the class path, and the Liberty run has its own.
 */
public class AppServerExtension implements LoadableExtension {
  @Override
  public void register(ExtensionBuilder builder) {
    String launch = System.getProperty("arquillian.launch");
    if ("payara".equals(launch) || "wildfly".equals(launch)) {
      builder.service(DeployableContainer.class, AppServerContainer.class);
    }
  }
}
