package io.sealsync.testsupport;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR the build produced, deployed as is: tests exercise exactly what users deploy. */
public final class Deployments {
  private Deployments() {}

  public static WebArchive war() {
    File war = new File(System.getProperty("sealsync.test.war", "target/sealsync.war"));
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }
}
