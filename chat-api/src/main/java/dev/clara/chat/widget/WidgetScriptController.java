package dev.clara.chat.widget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves {@code /widget.js}, the one script sites embed, assembled at start-up from its parts in
 * {@code widget/} on the classpath: each part is plain JavaScript (no build step), and together,
 * in {@link #PARTS}' order inside one function, they are the widget. One function keeps
 * {@code document.currentScript} readable (the parts run synchronously while the script does) and
 * the page's globals untouched. A short public cache lifetime, because every page view of every
 * site that embeds it asks for it and a release must still reach them soon; the ETag lets them ask
 * cheaply (304) once that lifetime is over. The parts' whole-line {@code //} comments are for
 * their readers and are left out of what every visitor downloads (a tenth of the bytes); the
 * parts keep no such line inside a string.
 */
@RestController
class WidgetScriptController {

	static final Duration SCRIPT_MAX_AGE = Duration.ofMinutes(5);

	static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

	/**
	 * The parts in the order they run: the later ones use what the earlier ones declare, and the
	 * last one starts the widget.
	 */
	static final List<String> PARTS = List.of("session.js", "theme.js", "panel.js", "markdown.js",
			"conversation.js", "chat.js", "history.js", "controls.js", "feedback.js", "start.js");

	private final byte[] script;

	private final String etag;

	WidgetScriptController() {
		this.script = assemble().getBytes(StandardCharsets.UTF_8);
		this.etag = "\"" + HexFormat.of().formatHex(sha256(this.script), 0, 16) + "\"";
	}

	/** Spring answers 304 itself when If-None-Match names this ETag. */
	@GetMapping("/widget.js")
	ResponseEntity<byte[]> script() {
		return ResponseEntity.ok()
			.contentType(JAVASCRIPT)
			.cacheControl(CacheControl.maxAge(SCRIPT_MAX_AGE).cachePublic())
			.eTag(this.etag)
			.body(this.script);
	}

	static String assemble() {
		StringBuilder script = new StringBuilder("(function () {\n'use strict';\n");
		for (String part : PARTS) {
			script.append("\n// ---- widget/").append(part).append(" ----\n").append(withoutLineComments(read("widget/" + part)));
			if (script.charAt(script.length() - 1) != '\n') {
				script.append('\n');
			}
		}
		return script.append("})();\n").toString();
	}

	/** The text without its lines that hold only a {@code //} comment. */
	static String withoutLineComments(String part) {
		return part.lines()
			.filter(line -> !line.stripLeading().startsWith("//"))
			.collect(java.util.stream.Collectors.joining("\n", "", "\n"));
	}

	private static String read(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The widget part " + path + " is missing from the classpath", ex);
		}
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
