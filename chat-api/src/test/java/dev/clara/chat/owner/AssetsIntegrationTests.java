package dev.clara.chat.owner;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiTestConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssetsIntegrationTests extends OwnerIntegrationTest {

	/** A 1×1 transparent PNG. */
	static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	/** A minimal JPEG header (enough for the type check). */
	static final byte[] JPEG = new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0 };

	/** Reads a public URL from this test's server (the URL names the configured public host). */
	byte[] publicRead(String url) throws Exception {
		String local = url.replace(ChatApiTestConfiguration.PUBLIC_BASE_URL, this.http.baseUrl());
		HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(local)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).isPresent();
		assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
		return response.body();
	}

	@Test
	void anAvatarIsStoredAtItsPathSetInTheSettingsAndPublic() throws Exception {
		Owner owner = owner();
		Reply uploaded = upload(owner.token(), "/api/owner/assets/avatar", "me.png", "image/png", PNG);
		assertThat(uploaded.status()).isEqualTo(201);
		String path = owner.workspaceId() + "/avatar.png";
		assertThat(uploaded.json().get("path").asString()).isEqualTo(path);
		assertThat(uploaded.json().get("content_type").asString()).isEqualTo("image/png");
		String url = uploaded.json().get("url").asString();
		// the configured public base URL, whatever Host the upload came with
		assertThat(url).startsWith(ChatApiTestConfiguration.PUBLIC_BASE_URL + "/storage/v1/object/public/chatbot-assets/"
				+ path + "?v=");

		// the storage shim row, written under storage.objects' policies
		assertThat(this.jdbc.sql("SELECT owner FROM storage.objects WHERE bucket_id = 'chatbot-assets' AND name = :name")
			.param("name", path)
			.query(java.util.UUID.class)
			.single()).isEqualTo(owner.userId());
		assertThat(get(owner.token(), "/api/owner/workspace/settings").json().get("avatar_url").asString()).isEqualTo(url);

		// public: no token needed
		assertThat(publicRead(url)).isEqualTo(PNG);
		Reply missing = get(null, "/storage/v1/object/public/chatbot-assets/" + owner.workspaceId() + "/nothing.png");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(get(null, "/storage/v1/object/public/private-bucket/" + path).status()).isEqualTo(404);

		// another type replaces it; the old object is gone
		Reply jpeg = upload(owner.token(), "/api/owner/assets/avatar", "me.jpg", "image/jpeg", JPEG);
		assertThat(jpeg.status()).isEqualTo(201);
		assertThat(jpeg.json().get("path").asString()).isEqualTo(owner.workspaceId() + "/avatar.jpg");
		assertThat(get(null, "/storage/v1/object/public/chatbot-assets/" + path).status()).isEqualTo(404);
		assertThat(publicRead(jpeg.json().get("url").asString())).isEqualTo(JPEG);

		// an icon beside it, raw body upload
		Reply icon = this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/owner/assets/icon"))
			.header("Authorization", "Bearer " + owner.token())
			.header("Content-Type", "image/png")
			.POST(HttpRequest.BodyPublishers.ofByteArray(PNG))
			.build());
		assertThat(icon.status()).isEqualTo(201);
		assertThat(get(owner.token(), "/api/owner/workspace/settings").json().get("chat_icon_url").asString())
			.isEqualTo(icon.json().get("url").asString());

		assertThat(delete(owner.token(), "/api/owner/assets/icon").status()).isEqualTo(204);
		assertThat(get(owner.token(), "/api/owner/workspace/settings").json().get("chat_icon_url").isNull()).isTrue();
		assertThat(delete(owner.token(), "/api/owner/assets/icon").status()).isEqualTo(404);
	}

	@Test
	void wrongTypesAndSizesAreRefused() {
		Owner owner = owner();
		byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8);
		assertThat(upload(owner.token(), "/api/owner/assets/avatar", "x.svg", "image/svg+xml", svg).status()).isEqualTo(415);
		assertThat(upload(owner.token(), "/api/owner/assets/avatar", "x.png", "image/png", "not an image".getBytes())
			.status()).isEqualTo(415);
		assertThat(upload(owner.token(), "/api/owner/assets/avatar", "x.gif", "image/gif", PNG).status())
			.as("declared type must match the content").isEqualTo(415);
		assertThat(upload(owner.token(), "/api/owner/assets/avatar", "x.png", "image/png", new byte[0]).status())
			.isEqualTo(400);
		byte[] big = new byte[1024 * 1024 + 10];
		System.arraycopy(PNG, 0, big, 0, PNG.length);
		assertThat(upload(owner.token(), "/api/owner/assets/avatar", "big.png", "image/png", big).status()).isEqualTo(413);
		assertThat(upload(owner.token(), "/api/owner/assets/banner", "x.png", "image/png", PNG).status()).isEqualTo(404);
		assertThat(count("SELECT count(*) FROM storage.objects WHERE name LIKE CAST(:ws AS text) || '/%'",
				owner.workspaceId())).isZero();
	}

	@Test
	void theStoragePoliciesKeepEachOwnerInTheirOwnFolder() {
		Owner a = owner();
		Owner b = owner();
		assertThatThrownBy(() -> this.ownerDb.run(a.principal(), sql -> sql
			.sql("INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', :name)")
			.param("name", b.workspaceId() + "/avatar.png")
			.update())).rootCause().hasMessageContaining("row-level security");
	}

}
