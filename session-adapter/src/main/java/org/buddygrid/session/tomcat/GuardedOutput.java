package org.buddygrid.session.tomcat;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The output stream and writer of a {@link CommitGuardResponse}: the session is committed before
 * any write that could send the first byte, and before {@code flush} and {@code close}.
 */
final class GuardedOutput {
  private GuardedOutput() {}

  /** The response's output stream. */
  static final class Stream extends ServletOutputStream {
    private final ServletOutputStream out;
    private final CommitGuardResponse response;

    Stream(ServletOutputStream out, CommitGuardResponse response) {
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

  /** A print writer over a guarded writer, that also reports the container writer's errors. */
  static PrintWriter printWriter(
      PrintWriter container, CommitGuardResponse response, float perChar) {
    return new PrintWriter(new Chars(container, response, perChar), false) {
      @Override
      public boolean checkError() {
        return super.checkError() || container.checkError();
      }
    };
  }

  /**
   * Characters are counted at the most bytes the charset makes of one, so the estimate errs early.
   */
  private static final class Chars extends Writer {
    private final PrintWriter out;
    private final CommitGuardResponse response;
    private final float maxBytesPerChar;

    Chars(PrintWriter out, CommitGuardResponse response, float maxBytesPerChar) {
      this.out = out;
      this.response = response;
      this.maxBytesPerChar = maxBytesPerChar;
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
}
