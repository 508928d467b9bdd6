package io.sealsync.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/** The settings of one {@link AppServerContainer} in {@code arquillian.xml}. */
public class AppServerConfiguration implements ContainerConfiguration {
  private String server;
  private String runtime;
  private String configDir;
  private String workDir;
  private String war;
  private String driver;
  private int httpPort;
  private int dbPort;
  private String jvmOptions = "";
  private int startupTimeoutSeconds = 300;

  @Override
  public void validate() throws ConfigurationException {
    if (server == null || httpPort <= 0 || dbPort <= 0) {
      throw new ConfigurationException("server, httpPort and dbPort are required");
    }
    for (String path : new String[] {runtime, configDir, war, driver}) {
      if (path == null || !Files.exists(Path.of(path))) {
        throw new ConfigurationException(
            path + " does not exist: the build fetches the servers in pre-integration-test");
      }
    }
  }

  /** The server, against the embedded test database whatever the environment says. */
  AppServer.Settings settings() {
    return new AppServer.Settings(
        AppServer.Kind.of(server),
        Path.of(runtime).toAbsolutePath(),
        Path.of(configDir).toAbsolutePath(),
        Path.of(workDir).toAbsolutePath(),
        Path.of(war).toAbsolutePath(),
        Path.of(driver).toAbsolutePath(),
        httpPort,
        environment(),
        jvmOptions.isBlank() ? List.of() : Arrays.asList(jvmOptions.trim().split("\\s+")));
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(AppServer.developmentDefaults());
    env.putAll(
        Map.of(
            "SEALSYNC_DB_HOST", "localhost",
            "SEALSYNC_DB_PORT", String.valueOf(dbPort),
            "SEALSYNC_DB_NAME", "postgres",
            "SEALSYNC_DB_USER", "postgres",
            "SEALSYNC_DB_PASSWORD", "postgres"));
    return env;
  }

  int startupTimeoutSeconds() {
    return startupTimeoutSeconds;
  }

  public void setServer(String server) {
    this.server = server;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }

  public void setConfigDir(String configDir) {
    this.configDir = configDir;
  }

  public void setWorkDir(String workDir) {
    this.workDir = workDir;
  }

  public void setWar(String war) {
    this.war = war;
  }

  public void setDriver(String driver) {
    this.driver = driver;
  }

  public void setHttpPort(int httpPort) {
    this.httpPort = httpPort;
  }

  public void setDbPort(int dbPort) {
    this.dbPort = dbPort;
  }

  public void setJvmOptions(String jvmOptions) {
    this.jvmOptions = jvmOptions == null ? "" : jvmOptions;
  }

  public void setStartupTimeoutSeconds(int startupTimeoutSeconds) {
    this.startupTimeoutSeconds = startupTimeoutSeconds;
  }
}
