package dev.clara.chat.widget;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the assembled widget leaves out of its parts: whole-line comments, nothing else. */
class WidgetScriptTests {

	@Test
	void wholeLineCommentsGoAndCodeWithSlashesStays() {
		String part = """
				// a comment for the reader
				  // an indented one
				const API = 'https://example.com'; // a trailing comment stays with its code
				const re = /\\/\\//;
				""";

		assertThat(WidgetScriptController.withoutLineComments(part)).isEqualTo("""
				const API = 'https://example.com'; // a trailing comment stays with its code
				const re = /\\/\\//;
				""");
	}

	@Test
	void theAssembledScriptKeepsItsHeaderAndEveryPartButTheirLineComments() {
		String script = WidgetScriptController.assemble();

		assertThat(script).contains("/*! Clara chat widget.");
		assertThat(script.lines().filter(line -> line.stripLeading().startsWith("//")))
			.allMatch(line -> line.startsWith("// ---- widget/"));
		assertThat(script).contains("const renderMarkdown").contains("clara.identify");
	}

}
