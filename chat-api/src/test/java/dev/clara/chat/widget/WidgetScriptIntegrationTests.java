package dev.clara.chat.widget;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /widget.js}: the parts in {@code widget/} served as the one script sites embed. */
class WidgetScriptIntegrationTests extends ChatApiIntegrationTest {

	@Test
	void servesEveryPartInItsOrderAsOneScript() throws IOException {
		Reply reply = this.http.get("/widget.js", null);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Content-Type")).isEqualToIgnoringWhitespace("text/javascript;charset=UTF-8");
		assertThat(reply.header("Cache-Control")).contains("max-age=300").contains("public");
		assertThat(reply.header("ETag")).matches("\"[0-9a-f]{32}\"");
		String script = reply.body();
		assertThat(script).startsWith("(function () {\n'use strict';\n").endsWith("})();\n");
		int previous = -1;
		for (String part : WidgetScriptController.PARTS) {
			int at = script.indexOf(part(part));
			assertThat(at).as("widget/%s in /widget.js, after the one before it", part).isGreaterThan(previous);
			previous = at;
		}
	}

	@Test
	void anUnchangedScriptIsA304() {
		Reply first = this.http.get("/widget.js", null);
		String etag = first.header("ETag");

		Reply again = ifNoneMatch(etag);
		Reply other = ifNoneMatch("\"0123456789abcdef0123456789abcdef\"");

		assertThat(again.status()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.header("ETag")).isEqualTo(etag);
		assertThat(again.header("Cache-Control")).contains("max-age=300").contains("public");
		assertThat(other.status()).isEqualTo(200);
		assertThat(other.body()).isEqualTo(first.body());
	}

	@Test
	void theScriptAndEachPartAreValidJavaScript(@TempDir Path dir) throws Exception {
		Assumptions.assumeTrue(nodeIsInstalled(), "node is not installed: the syntax check is skipped");
		Path script = dir.resolve("widget.js");
		Files.writeString(script, this.http.get("/widget.js", null).body());

		Node check = node("--check", script.toString());
		assertThat(check.exit()).as("node --check widget.js: %s", check.output()).isZero();

		// each part alone too, compiled as a classic script (a top-level return, say, is an error there)
		List<String> compile = new ArrayList<>(List.of("-e",
				"const vm = require('vm'), fs = require('fs');"
						+ "for (const f of process.argv.slice(1)) new vm.Script(fs.readFileSync(f, 'utf8'), { filename: f });"));
		for (String part : WidgetScriptController.PARTS) {
			Path file = dir.resolve(part);
			Files.writeString(file, part(part));
			compile.add(file.toString());
		}
		Node compiled = node(compile.toArray(String[]::new));
		assertThat(compiled.exit()).as("every part compiles on its own: %s", compiled.output()).isZero();
	}

	private Reply ifNoneMatch(String etag) {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/widget.js"))
			.header("If-None-Match", etag)
			.GET()
			.build());
	}

	private static String part(String name) throws IOException {
		try (InputStream in = new ClassPathResource("widget/" + name).getInputStream()) {
			// served without its whole-line comments (WidgetScriptController)
			return WidgetScriptController.withoutLineComments(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private static boolean nodeIsInstalled() {
		try {
			return node("--version").exit() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** node's exit code and what it printed. */
	private record Node(int exit, String output) {
	}

	private static Node node(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("node"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Node(-1, "node did not finish within 30 s");
		}
		return new Node(process.exitValue(), output);
	}

}
