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
 * outside development mode only over HTTPS ({@code Secure}).
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
