package io.sealsync.admin.console;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code /console/logout}: ends the HTTP session (if any) and shows the signed-out page. Not behind
 * the role (web.xml), so that signing out never asks for credentials. With BASIC authentication the
 * browser keeps sending the credentials it holds until it is closed; the page says so.
 */
@WebServlet(urlPatterns = "/console/logout")
public class LogoutServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    HttpSession session = req.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    try {
      req.logout();
    } catch (jakarta.servlet.ServletException | RuntimeException notSupported) {
      // Nothing to end for a container that keeps no login state (BASIC).
    }
    res.setContentType("text/html;charset=UTF-8");
    res.setHeader("Cache-Control", "no-store");
    try (InputStream in = getServletContext().getResourceAsStream("/console/signed-out.html")) {
      in.transferTo(res.getOutputStream());
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    doGet(req, res);
  }
}
