package dev.clara.chat.owner.assets;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.web.LimitedRequest;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.ratelimit.RateLimiter;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Avatar and chat icon: upload (PNG, JPEG, GIF or WebP, at most {@code clara.owner.assets.max-bytes})
 * into the storage shim at the path {@code chatbot-assets/{workspace_id}/avatar.{ext}} (or
 * {@code icon.{ext}}) under storage.objects' own policies, with the workspace's
 * {@code avatar_url}/{@code chat_icon_url} set to its public URL in the same transaction; and the
 * public read by path, Supabase's URL shape {@code /storage/v1/object/public/{bucket}/{path}}.
 */
@RestController
class AssetController {

	static final Map<String, String> SETTING_OF_KIND = Map.of("avatar", "avatar_url", "icon", "chat_icon_url");

	static final String PUBLIC_PREFIX = "/storage/v1/object/public/";

	private final OwnerDb db;

	private final AssetRepository assets;

	private final JsonMapper json;

	private final OwnerProperties.Assets settings;

	private final String publicBaseUrl;

	private final RateLimiter rateLimiter;

	private final List<String> trustedProxies;

	AssetController(OwnerDb db, AssetRepository assets, JsonMapper json, OwnerProperties properties,
			ChatProperties chat, RateLimiter rateLimiter) {
		this.publicBaseUrl = chat.publicBaseUrl();
		this.rateLimiter = rateLimiter;
		this.trustedProxies = chat.trustedProxies();
		this.db = db;
		this.assets = assets;
		this.json = json;
		this.settings = properties.assets();
	}

	record Asset(String kind, String bucket, String path, String url, String contentType, long size, String sha256) {
	}

	@PostMapping("/api/owner/assets/{kind}")
	ResponseEntity<Asset> upload(OwnerPrincipal owner, @PathVariable String kind, HttpServletRequest request)
			throws IOException {
		String setting = SETTING_OF_KIND.get(kind);
		if (setting == null) {
			throw OwnerProblems.notFound("asset kind (use avatar or icon)");
		}
		byte[] bytes;
		String declared;
		if (request instanceof MultipartHttpServletRequest multipart) {
			MultipartFile file = multipart.getFile("file");
			if (file == null) {
				throw OwnerProblems.invalid("file", "is required (a multipart field named file)");
			}
			declared = file.getContentType();
			try (InputStream in = file.getInputStream()) {
				bytes = readBounded(in);
			}
		}
		else {
			declared = request.getContentType();
			try (InputStream in = request.getInputStream()) {
				bytes = readBounded(in);
			}
		}
		if (bytes.length == 0) {
			throw OwnerProblems.invalid("file", "is empty");
		}
		ImageType type = ImageType.sniff(bytes)
			.filter(sniffed -> sniffed.matchesDeclared(declared))
			.orElseThrow(() -> new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
					"An avatar or icon must be a PNG, JPEG, GIF or WebP image (SVG is not accepted), "
							+ "and its declared type must match its content"));
		String sha256 = sha256(bytes);
		String base = this.publicBaseUrl;
		Asset asset = this.db.as(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			String name = workspace + "/" + kind + "." + type.extension();
			String url = base + PUBLIC_PREFIX + this.settings.bucket() + "/" + name + "?v=" + sha256.substring(0, 12);
			String metadata = this.json.writeValueAsString(Map.of("mimetype", type.mediaType(), "size", bytes.length,
					"eTag", "\"" + sha256 + "\"", "cacheControl", "max-age=300"));
			// another extension of the same asset is replaced
			this.assets.store(sql, workspace, new AssetRepository.NewObject(this.settings.bucket(), name, metadata,
					bytes, type.mediaType(), sha256), workspace + "/" + kind + ".");
			this.assets.setUrl(sql, setting, url);
			return new Asset(kind, this.settings.bucket(), name, url, type.mediaType(), bytes.length, sha256);
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(asset);
	}

	@DeleteMapping("/api/owner/assets/{kind}")
	ResponseEntity<Void> delete(OwnerPrincipal owner, @PathVariable String kind) {
		String setting = SETTING_OF_KIND.get(kind);
		if (setting == null) {
			throw OwnerProblems.notFound("asset kind (use avatar or icon)");
		}
		this.db.run(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			if (this.assets.delete(sql, this.settings.bucket(), workspace + "/" + kind + ".") == 0) {
				throw OwnerProblems.notFound(kind);
			}
			this.assets.setUrl(sql, setting, null);
		});
		return ResponseEntity.noContent().build();
	}

	/** Public read of an object in a public bucket, by path. */
	@GetMapping(PUBLIC_PREFIX + "{bucket}/{*path}")
	ResponseEntity<byte[]> read(@PathVariable String bucket, @PathVariable String path,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
			HttpServletRequest request) {
		this.rateLimiter.acquireRead(ClientAddress.of(request, this.trustedProxies));
		String name = path.startsWith("/") ? path.substring(1) : path;
		if (name.isEmpty() || name.length() > 1024 || bucket.length() > 100) {
			throw OwnerProblems.notFound("object");
		}
		AssetRepository.Stored object = this.assets.readPublic(bucket, name)
			.orElseThrow(() -> OwnerProblems.notFound("object"));
		String etag = "\"" + object.sha256() + "\"";
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.eTag(etag)
			.cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy", "default-src 'none'; sandbox");
		if (etag.equals(ifNoneMatch)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return response.contentType(MediaType.parseMediaType(object.contentType())).body(object.content());
	}

	private byte[] readBounded(InputStream in) throws IOException {
		long max = this.settings.maxBytes().toBytes();
		try {
			byte[] bytes = in.readNBytes((int) max + 1);
			if (bytes.length > max) {
				throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
						"An avatar or icon must be at most " + max + " bytes");
			}
			return bytes;
		}
		catch (LimitedRequest.TooLarge ex) {
			throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
					"An avatar or icon must be at most " + max + " bytes");
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
