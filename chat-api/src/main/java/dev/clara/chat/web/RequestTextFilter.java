package dev.clara.chat.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The text rule ({@link Texts}) for what a request carries outside its body: the path (so every
 * path variable), every query parameter, and the headers the service reads as text. The path
 * and the query are decoded here from their raw, percent-encoded form with a strict UTF-8
 * decoder, so bytes that are not UTF-8 are refused too instead of arriving as U+FFFD. It runs
 * first, before anything reads the request, and answers 400 problem+json naming the part.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestTextFilter extends OncePerRequestFilter {

	/** The headers some controller or filter reads as text. */
	static final List<String> HEADERS = List.of(HttpHeaders.ORIGIN, "X-Clara-Session-Token", HttpHeaders.IF_NONE_MATCH,
			"X-Forwarded-For");

	static final String NOT_UTF8 = "must be percent-encoded UTF-8";

	private final JsonMapper json;

	RequestTextFilter(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String problem = problem(request);
		if (problem != null) {
			write(response, problem);
			return;
		}
		chain.doFilter(request, response);
	}

	/** What is wrong, as "part: message", or null. */
	static String problem(HttpServletRequest request) {
		String path = check(request.getRequestURI(), false);
		if (path != null) {
			return "path: " + path;
		}
		String query = request.getQueryString();
		if (query != null) {
			for (String pair : query.split("&", -1)) {
				int eq = pair.indexOf('=');
				String name = eq < 0 ? pair : pair.substring(0, eq);
				String nameFlaw = check(name, true);
				if (nameFlaw != null) {
					return "query: a parameter name " + nameFlaw;
				}
				String valueFlaw = eq < 0 ? null : check(pair.substring(eq + 1), true);
				if (valueFlaw != null) {
					// the name is safe to repeat now: it is UTF-8 text without control characters
					String decoded = decode(name, true);
					return "query parameter " + (decoded.length() > 64 ? decoded.substring(0, 64) : decoded) + ": "
							+ valueFlaw;
				}
			}
		}
		for (String header : HEADERS) {
			var values = request.getHeaders(header);
			while (values != null && values.hasMoreElements()) {
				String flaw = Texts.flaw(values.nextElement());
				if (flaw != null) {
					return header + " header: " + flaw;
				}
			}
		}
		return null;
	}

	/** Null when the percent-encoded {@code raw} decodes to text that follows the rule. */
	private static String check(String raw, boolean form) {
		if (raw == null) {
			return null;
		}
		String text = decode(raw, form);
		return text == null ? NOT_UTF8 : Texts.flaw(text);
	}

	/** {@code raw} percent-decoded ({@code +} is a space in a query), or null when it is not UTF-8. */
	static String decode(String raw, boolean form) {
		if (raw.indexOf('%') < 0 && !(form && raw.indexOf('+') >= 0)) {
			return raw;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
				int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
				if (low < 0) {
					return null;
				}
				bytes.write(high * 16 + low);
				i += 2;
			}
			else if (c == '+' && form) {
				bytes.write(' ');
			}
			else if (c < 0x80) {
				bytes.write(c);
			}
			else {
				// the container hands the raw line over as ISO-8859-1: one char per byte
				bytes.write(c & 0xff);
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private void write(HttpServletResponse response, String detail) throws IOException {
		ObjectNode problem = this.json.createObjectNode();
		problem.put("type", URI.create("https://clara.dev/problems/invalid-request").toString());
		problem.put("title", "Invalid request");
		problem.put("status", HttpStatus.BAD_REQUEST.value());
		problem.put("detail", detail);
		problem.putArray("errors").add(detail);
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(this.json.writeValueAsString(problem));
	}

}
