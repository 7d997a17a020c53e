package dev.clara.chat.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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

	private ServletInputStream counted;

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

	/** Whether the servlet container would parse this body as parts (itself, to disk, past any wrapper). */
	public static boolean isMultipart(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith("multipart/");
	}

	/** The container's own reader would read past the count: this one reads through it. */
	@Override
	public BufferedReader getReader() throws IOException {
		String encoding = getCharacterEncoding();
		Charset charset;
		try {
			charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
		}
		catch (IllegalArgumentException ex) {
			throw new UnsupportedEncodingException("unsupported request charset");
		}
		return new BufferedReader(new InputStreamReader(getInputStream(), charset));
	}

	/** One count per request, however often the body's stream is asked for. */
	@Override
	public ServletInputStream getInputStream() throws IOException {
		if (this.counted == null) {
			this.counted = counting(super.getInputStream());
		}
		return this.counted;
	}

	private ServletInputStream counting(ServletInputStream in) {
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
