package io.sealsync.agentstate;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A replay page whose client leaves mid-page ends quietly ({@link ReplayPages}): once writing to
 * the connection has failed, the runtime's own flush and close of the response do nothing, where
 * they would fail again and be logged as a server error (Jersey, on Payara, logs them as SEVERE).
 */
@Provider
public class ReplayWriterInterceptor implements WriterInterceptor {
  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    if (context.getEntity() instanceof ReplayPages.Page) {
      context.setOutputStream(new ClientStream(context.getOutputStream()));
    }
    context.proceed();
  }

  /** The response stream, which stops at its first failure: the client is gone. */
  static final class ClientStream extends OutputStream {
    private final OutputStream out;
    private boolean gone;

    ClientStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      check();
      try {
        out.write(b);
      } catch (IOException e) {
        gone = true;
        throw e;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      check();
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        gone = true;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      if (gone) {
        return;
      }
      try {
        out.flush();
      } catch (IOException e) {
        gone = true;
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      if (!gone) {
        out.close();
        return;
      }
      try {
        out.close(); // releases what the runtime holds; its failure is the known one
      } catch (IOException e) {
        // the client is gone
      }
    }

    private void check() throws IOException {
      if (gone) {
        throw new IOException("the client closed the connection");
      }
    }
  }
}
