package dev.clara.chat.web;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAPI document of the public chat API (the owner API has its own). Written by hand next to
 * the code it describes; a test keeps the two in step (every public endpoint named, real replies
 * valid against the document's schemas).
 */
@RestController
class PublicOpenApiController {

	static final String DOCUMENT = "dev/clara/chat/web/public-openapi.json";

	private final byte[] document;

	PublicOpenApiController() throws IOException {
		try (InputStream in = new ClassPathResource(DOCUMENT).getInputStream()) {
			this.document = in.readAllBytes();
		}
	}

	@GetMapping("/api/openapi.json")
	ResponseEntity<byte[]> document() {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noCache())
			.body(this.document);
	}

}
