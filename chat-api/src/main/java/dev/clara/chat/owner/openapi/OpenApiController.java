package dev.clara.chat.owner.openapi;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The owner API's OpenAPI 3.1 document, written by hand next to this class (springdoc does not
 * support Spring Boot 4 here); a test checks that it names every owner endpoint.
 */
@RestController
class OpenApiController {

	static final String DOCUMENT = "dev/clara/chat/owner/openapi/openapi.json";

	private final byte[] document;

	OpenApiController() throws IOException {
		try (InputStream in = new ClassPathResource(DOCUMENT).getInputStream()) {
			this.document = in.readAllBytes();
		}
	}

	@GetMapping("/api/owner/openapi.json")
	ResponseEntity<byte[]> document() {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noCache())
			.body(this.document);
	}

}
