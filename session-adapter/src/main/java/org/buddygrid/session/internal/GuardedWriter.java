package org.buddygrid.session.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The response's writer, with the session committed before any write that could send the first
 * byte, and before {@code flush} and {@code close}. Characters are counted at the most bytes the
 * response's charset can make of one, so the estimate never falls short of the container's buffer.
 */
public final class GuardedWriter extends Writer {
  private final PrintWriter out;
  private final CommitGuard response;
  private final float maxBytesPerChar;

  GuardedWriter(PrintWriter out, CommitGuard response, float maxBytesPerChar) {
    this.out = out;
    this.response = response;
    this.maxBytesPerChar = maxBytesPerChar;
  }

  /** A print writer over a guarded writer, that also reports the container writer's errors. */
  public static PrintWriter printWriter(
      PrintWriter container, CommitGuard response, float perChar) {
    return new PrintWriter(new GuardedWriter(container, response, perChar), false) {
      @Override
      public boolean checkError() {
        return super.checkError() || container.checkError();
      }
    };
  }

  private long bytes(int chars) {
    return (long) Math.ceil(chars * (double) maxBytesPerChar);
  }

  @Override
  public void write(int c) throws IOException {
    response.beforeWrite(bytes(1));
    out.write(c);
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    response.beforeWrite(bytes(len));
    out.write(cbuf, off, len);
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    response.beforeWrite(bytes(len));
    out.write(str, off, len);
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
}
