package io.sealsync.admin.console;

import io.sealsync.platform.DeploymentMode;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The HTTP session's cookie, which carries a console sign-in through OpenID Connect: not readable
 * by scripts ({@code HttpOnly}), not sent with requests other sites start except top-level
 * navigations ({@code SameSite=Lax}, which the provider's redirect back to the console is), and
 * outside development mode only over HTTPS ({@code Secure}). Payara and WildFly do not write the
 * {@code SameSite} set here: Payara takes it from {@code WEB-INF/glassfish-web.xml}, WildFly from
 * the {@code samesite-cookie} handler of {@code WEB-INF/undertow-handlers.conf}.
 */
@WebListener
public class SessionCookies implements ServletContextListener {
  @Override
  public void contextInitialized(ServletContextEvent event) {
    SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
    cookie.setHttpOnly(true);
    cookie.setSecure(!DeploymentMode.development(ConfigProvider.getConfig()));
    cookie.setAttribute("SameSite", "Lax");
  }
}
