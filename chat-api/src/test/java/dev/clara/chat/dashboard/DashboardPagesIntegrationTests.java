package dev.clara.chat.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner dashboard's static files at {@code /app/}: the page, its modules, and the rules its
 * code keeps (the CSP allows no inline script or style; data never goes in as markup).
 */
class DashboardPagesIntegrationTests extends ChatApiIntegrationTest {

	@Test
	void appRedirectsToTheDashboardPage() {
		Reply reply = this.http.get("/app", null);

		assertThat(reply.status()).isEqualTo(302);
		assertThat(reply.header("Location")).endsWith("/app/");
	}

	@Test
	void theDashboardPageAndItsModulesAreServed() {
		Reply page = this.http.get("/app/", null);
		Reply module = this.http.get("/app/main.js", null);
		Reply preview = this.http.get("/app/preview.html", null);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.body()).contains("<script type=\"module\" src=\"/app/main.js\"></script>");
		assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("style-src 'self'");
		assertThat(module.status()).isEqualTo(200);
		assertThat(module.header("Content-Type")).contains("javascript");
		assertThat(preview.status()).isEqualTo(200);
		assertThat(preview.body()).contains("src=\"/app/preview.js\"");
	}

	@Test
	void theFilesKeepTheDashboardsRules() throws IOException {
		Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:/static/app/*");
		assertThat(files).hasSizeGreaterThan(10);
		List<String> broken = new ArrayList<>();
		Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>");
		Pattern markupFromCode = Pattern.compile("\\.(innerHTML|outerHTML)\\b|insertAdjacentHTML|document\\.write");
		// a request to another site: a script, style, image or frame source, an import, a fetch
		Pattern foreignUrl = Pattern.compile(
				"(src|href)\\s*=\\s*[\"']https?:|url\\(\\s*[\"']?https?:|(from|import\\(|fetch\\()\\s*[\"'`]https?:");
		for (Resource file : files) {
			String name = file.getFilename();
			String text = new String(file.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (text.lines().count() >= 400) {
				broken.add(name + ": 400 lines or more");
			}
			if (name.endsWith(".html") && (inlineScript.matcher(text).find() || text.contains("style=")
					|| text.contains("<style"))) {
				broken.add(name + ": an inline script or style");
			}
			if (name.endsWith(".js") && markupFromCode.matcher(text).find()) {
				broken.add(name + ": builds markup from a string");
			}
			if (foreignUrl.matcher(text).find()) {
				broken.add(name + ": names another site");
			}
		}
		assertThat(broken).isEmpty();
	}

}
