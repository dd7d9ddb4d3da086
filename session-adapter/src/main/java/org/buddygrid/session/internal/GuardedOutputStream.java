package org.buddygrid.session.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * The response's output stream, with the session committed before any write that could send the
 * first byte, and before {@code flush} and {@code close}.
 */
public final class GuardedOutputStream extends ServletOutputStream {
  private final ServletOutputStream out;
  private final CommitGuard response;

  public GuardedOutputStream(ServletOutputStream out, CommitGuard response) {
    this.out = out;
    this.response = response;
  }

  @Override
  public void write(int b) throws IOException {
    response.beforeWrite(1);
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    response.beforeWrite(len);
    out.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    response.beforeCommit();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    response.beforeCommit();
    out.close();
  }

  @Override
  public boolean isReady() {
    return out.isReady();
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    out.setWriteListener(listener);
  }
}
