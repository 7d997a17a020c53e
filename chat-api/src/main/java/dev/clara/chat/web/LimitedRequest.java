package dev.clara.chat.web;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Counts what is read of a request body and stops at the limit with {@link TooLarge}: for bodies
 * without a declared length (chunked), which a check of Content-Length cannot stop.
 */
public final class LimitedRequest extends HttpServletRequestWrapper {

	private final long maxBytes;

	public LimitedRequest(HttpServletRequest request, long maxBytes) {
		super(request);
		this.maxBytes = maxBytes;
	}

	/** Thrown while reading past the limit. */
	public static final class TooLarge extends IOException {

		private static final long serialVersionUID = 1L;

		TooLarge() {
			super("request body too large");
		}

	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		ServletInputStream in = super.getInputStream();
		return new ServletInputStream() {

			private long read;

			@Override
			public int read() throws IOException {
				int b = in.read();
				if (b >= 0 && ++this.read > LimitedRequest.this.maxBytes) {
					throw tooLarge();
				}
				return b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int n = in.read(buffer, offset, length);
				if (n > 0 && (this.read += n) > LimitedRequest.this.maxBytes) {
					throw tooLarge();
				}
				return n;
			}

			@Override
			public boolean isFinished() {
				return in.isFinished();
			}

			@Override
			public boolean isReady() {
				return in.isReady();
			}

			@Override
			public void setReadListener(ReadListener listener) {
				in.setReadListener(listener);
			}
		};
	}

	private static IOException tooLarge() {
		return new TooLarge();
	}

}
